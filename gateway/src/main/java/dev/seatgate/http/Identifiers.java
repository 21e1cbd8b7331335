package dev.seatgate.http;

import dev.seatgate.licenses.LicenseCatalog;
import dev.seatgate.licenses.LicenseType;
import java.util.regex.Pattern;

/**
 * Validation of the identifiers that end up in Redis keys: tenant and agent ids, session ids, license
 * types. Nothing reaches a key unless it passes here, so no request can name another tenant's keys.
 */
final class Identifiers {

    /** Tenant and agent ids (API.md). */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private Identifiers() {
    }

    /** The value when it is a valid id; else 400 naming {@code field}. */
    static String require(String field, String value) {
        if (!ID.matcher(value).matches()) {
            throw ApiException.invalid("'" + field + "' must be 1 to 64 of A-Z a-z 0-9 _ -");
        }
        return value;
    }

    /** The catalog's license type of that name; else 400 listing the known ones. */
    static LicenseType licenseType(LicenseCatalog catalog, String field, String name) {
        return catalog.find(name).orElseThrow(() -> ApiException.invalid("'" + field + "': unknown license type"
                + " (expected one of: " + String.join(", ", catalog.names()) + ")"));
    }
}
