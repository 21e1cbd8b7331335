package dev.seatgate.licenses;

import dev.seatgate.config.ConfigSection;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The license types a gateway sells and enforces, in the order they are listed to clients. */
public final class LicenseCatalog {

    /** The provider's two seat types, used when the config file names none. */
    public static final LicenseCatalog DEFAULT = new LicenseCatalog(List.of(
            new LicenseType("outbound", List.of("predictive_dialing", "manual_dialing", "inbound"),
                    new BigDecimal("150.00"), "USD"),
            new LicenseType("closer", List.of("manual_dialing", "inbound"),
                    new BigDecimal("100.00"), "USD")));

    private final Map<String, LicenseType> types;

    public LicenseCatalog(List<LicenseType> types) {
        if (types.isEmpty()) {
            throw new IllegalArgumentException("a license catalog needs at least one type");
        }
        var byName = new LinkedHashMap<String, LicenseType>();
        for (LicenseType type : types) {
            if (byName.put(type.name(), type) != null) {
                throw new IllegalArgumentException("license type listed twice: " + type.name());
            }
        }
        this.types = byName;
    }

    /** The catalog of the config file's {@code licenseCatalog} section, or {@link #DEFAULT} without one. */
    public static LicenseCatalog fromConfig(Optional<ConfigSection> section) {
        return section.map(CatalogParser::parse).orElse(DEFAULT);
    }

    public Optional<LicenseType> find(String name) {
        return Optional.ofNullable(types.get(name));
    }

    public Collection<LicenseType> types() {
        return types.values();
    }

    public List<String> names() {
        return new ArrayList<>(types.keySet());
    }

    /**
     * The catalog as the scripts read it at the end of their arguments ({@code catalog_from} in lib.lua):
     * the number of types, then name, unit monthly price in cents, and currency of each.
     */
    List<String> scriptArgs() {
        var args = new ArrayList<String>();
        args.add(Integer.toString(types.size()));
        for (LicenseType type : types.values()) {
            args.add(type.name());
            args.add(type.unitMonthlyPrice().movePointRight(2).toBigIntegerExact().toString());
            args.add(type.currency());
        }
        return args;
    }
}
