package dev.seatgate.licenses;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seatgate.config.ConfigException;
import dev.seatgate.config.ConfigSection;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Reads the {@code licenseCatalog} section of the config file: a mapping of type name to
 * {@code {capabilities, unitMonthlyPrice, currency}}. A bad entry throws a {@link ConfigException} naming
 * the field and the file, like every other setting.
 */
final class CatalogParser {

    /** License type names end up in Redis keys and URL paths, so they are kept short and plain. */
    private static final Pattern TYPE_NAME = Pattern.compile("[a-z][a-z0-9_-]{0,31}");
    /** Capabilities are handed to softphones as-is. */
    private static final Pattern CAPABILITY = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final List<String> FIELDS = List.of("capabilities", "unitMonthlyPrice", "currency");

    private CatalogParser() {
    }

    static LicenseCatalog parse(ConfigSection section) {
        JsonNode catalog = section.node();
        if (!catalog.isObject() || catalog.isEmpty()) {
            throw new ConfigException(section.origin() + ": expected a mapping of license type name to"
                    + " {capabilities, unitMonthlyPrice, currency}");
        }
        var types = new ArrayList<LicenseType>();
        for (var entry : catalog.properties()) {
            String name = entry.getKey();
            // "licenseCatalog (in FILE)" becomes "licenseCatalog.outbound.currency (in FILE)"
            int key = section.origin().indexOf(' ') < 0 ? section.origin().length() : section.origin().indexOf(' ');
            UnaryOperator<String> where = field -> section.origin().substring(0, key) + "." + name + field
                    + section.origin().substring(key);
            if (!TYPE_NAME.matcher(name).matches()) {
                throw new ConfigException(where.apply("") + ": bad type name (expected: " + TYPE_NAME + ")");
            }
            JsonNode type = entry.getValue();
            if (!type.isObject()) {
                throw new ConfigException(where.apply("") + ": expected {capabilities, unitMonthlyPrice, currency}");
            }
            var unknown = new ArrayList<String>();
            type.fieldNames().forEachRemaining(field -> {
                if (!FIELDS.contains(field)) {
                    unknown.add(field);
                }
            });
            if (!unknown.isEmpty()) {
                throw new ConfigException(where.apply("") + ": unknown field " + unknown
                        + " (expected: capabilities, unitMonthlyPrice, currency)");
            }
            types.add(new LicenseType(name, capabilities(type.get("capabilities"), where),
                    price(type.get("unitMonthlyPrice"), where), currency(type.get("currency"), where)));
        }
        return new LicenseCatalog(types);
    }

    private static List<String> capabilities(JsonNode node, UnaryOperator<String> where) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw new ConfigException(where.apply(".capabilities")
                    + ": expected a non-empty list, e.g. [manual_dialing, inbound]");
        }
        var capabilities = new ArrayList<String>();
        for (JsonNode item : node) {
            if (!item.isTextual() || !CAPABILITY.matcher(item.asText()).matches()) {
                throw new ConfigException(where.apply(".capabilities") + ": '" + item.asText()
                        + "' (expected: a lower_snake_case name)");
            }
            capabilities.add(item.asText());
        }
        return capabilities;
    }

    private static BigDecimal price(JsonNode node, UnaryOperator<String> where) {
        try {
            if (node == null || !node.isValueNode()) {
                throw new NumberFormatException();
            }
            BigDecimal price = new BigDecimal(node.asText().trim());
            if (price.signum() < 0 || price.stripTrailingZeros().scale() > 2) {
                throw new NumberFormatException();
            }
            return price.setScale(2);
        } catch (NumberFormatException e) {
            throw new ConfigException(where.apply(".unitMonthlyPrice") + ": expected a non-negative amount with at"
                    + " most two decimal places, e.g. \"150.00\"");
        }
    }

    private static String currency(JsonNode node, UnaryOperator<String> where) {
        String code = node == null ? "" : node.asText().trim();
        try {
            return Currency.getInstance(code).getCurrencyCode();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where.apply(".currency") + ": '" + code
                    + "' (expected: an ISO 4217 code such as USD)");
        }
    }
}
