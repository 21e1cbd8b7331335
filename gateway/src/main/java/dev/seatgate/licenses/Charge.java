package dev.seatgate.licenses;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.math.BigDecimal;

/**
 * What a purchase costs for the rest of its first month. Money is a decimal string with two places.
 *
 * @param amount        {@code unitMonthlyPrice × count × daysRemaining / daysInMonth}, HALF_UP to cents
 * @param daysRemaining the purchase day and every later day of that month, in the tenant's zone
 * @param daysInMonth   the length of that month
 */
public record Charge(@JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal amount,
                     String currency,
                     @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal unitMonthlyPrice,
                     int daysRemaining,
                     int daysInMonth) {
}
