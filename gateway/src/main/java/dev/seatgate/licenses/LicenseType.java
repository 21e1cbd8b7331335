package dev.seatgate.licenses;

import java.math.BigDecimal;
import java.util.List;

/**
 * One kind of seat in the catalog, such as {@code outbound} or {@code closer}.
 *
 * @param name             the wire name used in paths and login requests
 * @param capabilities     what a session on this seat may do, returned to the softphone at login
 * @param unitMonthlyPrice the price of one seat for one full month, two decimal places
 * @param currency         the ISO 4217 code of {@code unitMonthlyPrice}
 */
public record LicenseType(String name, List<String> capabilities, BigDecimal unitMonthlyPrice, String currency) {
    public LicenseType {
        capabilities = List.copyOf(capabilities);
    }
}
