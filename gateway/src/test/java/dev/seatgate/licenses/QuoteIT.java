package dev.seatgate.licenses;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seatgate.testing.ApiClient;
import dev.seatgate.testing.ApiClient.Reply;
import dev.seatgate.testing.Fixtures;
import dev.seatgate.testing.SeatgateExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET .../licenses/{type}/quote?count=N} answers what the purchase would charge now, without buying, and is
 * validated as the purchase is.
 */
class QuoteIT {

    @RegisterExtension
    static final SeatgateExtension seatgate = new SeatgateExtension();

    private static final Duration DELAY = Duration.ofMinutes(5);
    private static final String TENANT_TOKEN = "quote-tenant-token-0123456789";
    private static String ownTenant;
    private static ApiClient api;

    @BeforeAll
    static void startGateway() {
        ownTenant = SeatgateExtension.newTenantId();
        api = new ApiClient(seatgate.startGateway("SEATGATE_ACTIVATION_DELAY", DELAY.toString(),
                "SEATGATE_TENANT_ADMIN_TOKENS", ownTenant + "=" + TENANT_TOKEN));
    }

    @Test
    void theQuoteIsWhatThePurchaseMadeRightAfterCharges() {
        String tenant = SeatgateExtension.newTenantId();
        assertThat(api.putTenant(tenant, Fixtures.zoneAtNoon()).status()).isEqualTo(201);

        Instant before = Instant.now();
        Reply quote = api.admin("GET", "/v1/tenants/" + tenant + "/licenses/outbound/quote?count=3", null);
        Reply nothingBought = api.licenses(tenant);
        Reply purchase = api.purchase(tenant, "outbound", 3, "quote-then-buy");

        assertThat(quote.status()).as("%s", quote).isEqualTo(200);
        assertThat(quote.json().get("licenseType").asText()).isEqualTo("outbound");
        assertThat(quote.json().get("count").asInt()).isEqualTo(3);
        assertThat(quote.json().get("charge")).as("the very charge of the purchase").isEqualTo(purchase.json().get("charge"));
        assertThat(quote.json().at("/charge/currency").asText()).isEqualTo("USD");
        assertThat(quote.json().at("/charge/unitMonthlyPrice").asText()).isEqualTo("150.00");
        Instant quotedActivation = Instant.parse(quote.json().get("activatesAt").asText());
        assertThat(Duration.between(before.plus(DELAY), quotedActivation)).isBetween(Duration.ofSeconds(-5),
                Duration.ofSeconds(5));
        assertThat(quotedActivation).isBeforeOrEqualTo(Instant.parse(purchase.json().get("activatesAt").asText()));

        assertThat(nothingBought.json().at("/licenses/outbound/active").asInt()).isZero();
        assertThat(nothingBought.json().at("/licenses/outbound/pending")).as("a quote buys nothing").isEmpty();
        assertThat(api.events(tenant).json().get("events")).as("one charge: the purchase's").hasSize(1);
    }

    @Test
    void aQuoteIsValidatedAsAPurchaseIs() {
        String tenant = SeatgateExtension.newTenantId();
        api.putTenant(tenant, "UTC");
        String path = "/v1/tenants/" + tenant + "/licenses/";

        for (String query : List.of("", "?count=0", "?count=10001", "?count=three", "?count=")) {
            Reply bad = api.admin("GET", path + "outbound/quote" + query, null);
            assertThat(bad.status()).as(query).isEqualTo(400);
            assertThat(bad.errorCode()).isEqualTo("INVALID_REQUEST");
            assertThat(bad.json().at("/error/message").asText()).contains("'count'", "1 to 10000");
        }
        assertThat(api.admin("GET", path + "outbound/quote?count=10000", null).status()).isEqualTo(200);

        Reply unknownType = api.admin("GET", path + "inbound/quote?count=1", null);
        assertThat(unknownType.status()).isEqualTo(400);
        assertThat(unknownType.json().at("/error/message").asText()).contains("unknown license type");

        Reply unknownTenant = api.admin("GET", "/v1/tenants/" + SeatgateExtension.newTenantId()
                + "/licenses/outbound/quote?count=1", null);
        assertThat(unknownTenant.status()).isEqualTo(404);
        assertThat(unknownTenant.errorCode()).isEqualTo("TENANT_NOT_FOUND");
    }

    @Test
    void aQuoteNeedsATokenOfItsTenant() {
        String other = SeatgateExtension.newTenantId();
        api.putTenant(other, "UTC");
        api.putTenant(ownTenant, "UTC");
        String token = "Bearer " + TENANT_TOKEN;

        assertThat(api.adminRaw("GET", "/v1/tenants/" + ownTenant + "/licenses/closer/quote?count=2", "",
                "Authorization", token).status()).isEqualTo(200);
        Reply forbidden = api.adminRaw("GET", "/v1/tenants/" + other + "/licenses/closer/quote?count=2", "",
                "Authorization", token);
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.errorCode()).isEqualTo("FORBIDDEN");
        assertThat(api.adminRaw("GET", "/v1/tenants/" + ownTenant + "/licenses/closer/quote?count=2", "")
                .status()).isEqualTo(401);
    }
}
