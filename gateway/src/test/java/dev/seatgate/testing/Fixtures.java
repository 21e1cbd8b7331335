package dev.seatgate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** Test data made through the admin API, as an account admin would make it. */
public final class Fixtures {

    private Fixtures() {
    }

    /** The sessionToken of a login that must have been admitted. */
    public static String sessionToken(ApiClient.Reply login) {
        assertThat(login.status()).as("login: %s", login).isEqualTo(200);
        return login.json().get("sessionToken").asText();
    }

    /** The password every fixture agent gets: {@code password-<agentId>}. */
    public static String password(String agentId) {
        return "password-" + agentId;
    }

    /**
     * A new tenant (UTC) with {@code outbound} and {@code closer} seats and agents {@code a1..aN} allowed on
     * both types. With the test gateways' activation delay of PT0S the seats are active at once.
     */
    public static String tenant(ApiClient api, int outboundSeats, int closerSeats, int agents) {
        return tenant(api, SeatgateExtension.newTenantId(), outboundSeats, closerSeats, agents);
    }

    /** As {@link #tenant(ApiClient, int, int, int)}, with the tenant's id chosen (on a cluster: its master). */
    public static String tenant(ApiClient api, String tenant, int outboundSeats, int closerSeats, int agents) {
        assertThat(api.putTenant(tenant, "UTC").status()).isEqualTo(201);
        if (outboundSeats > 0) {
            assertThat(api.purchase(tenant, "outbound", outboundSeats, tenant + "-outbound").status()).isEqualTo(201);
        }
        if (closerSeats > 0) {
            assertThat(api.purchase(tenant, "closer", closerSeats, tenant + "-closer").status()).isEqualTo(201);
        }
        for (int i = 1; i <= agents; i++) {
            String agentId = "a" + i;
            assertThat(api.createAgent(tenant, agentId, password(agentId), List.of("outbound", "closer")).status())
                    .isEqualTo(201);
        }
        return tenant;
    }

    /**
     * A time zone where it is about noon now, for a tenant whose charges are compared a moment apart: they fall on
     * the same day of its month whatever time the test runs.
     */
    public static String zoneAtNoon() {
        int hoursAhead = 12 - Instant.now().atOffset(ZoneOffset.UTC).getHour(); // -11 to 12
        // Etc/GMT-N is N hours ahead of UTC (the POSIX sign), from Etc/GMT-12 to Etc/GMT+12.
        return hoursAhead == 0 ? "UTC" : hoursAhead > 0 ? "Etc/GMT-" + hoursAhead : "Etc/GMT+" + -hoursAhead;
    }
}
