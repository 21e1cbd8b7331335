package dev.seatgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seatgate.Gateway;
import dev.seatgate.testing.ApiClient;
import dev.seatgate.testing.ApiClient.Reply;
import dev.seatgate.testing.Fixtures;
import dev.seatgate.testing.HeadlessChromium;
import dev.seatgate.testing.SeatgateExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The console in a real headless Chromium against a real gateway, through the provider's help article: sign in,
 * add seats (the charge shown is the API's, a double click buys once), watch them activate, clone an agent, see it
 * take a seat and force it out, remove a seat; and a tenant's token that cannot reach another tenant.
 *
 * <p>With {@code -Dconsole.screenshots=DIR} it saves a PNG of each view into DIR (docs/console holds the README's).
 */
class ConsoleIT {

    @RegisterExtension
    static final SeatgateExtension seatgate = new SeatgateExtension();

    private static final String TENANT_TOKEN = "console-tenant-token-0123456789";
    private static String tenant;
    private static String otherTenant;
    private static ApiClient api;
    private static String console;
    private static HeadlessChromium chromium;

    @BeforeAll
    static void start() {
        tenant = SeatgateExtension.newTenantId();
        otherTenant = SeatgateExtension.newTenantId();
        Gateway gateway = seatgate.startGateway("SEATGATE_ACTIVATION_DELAY", "PT6S",
                "SEATGATE_TENANT_ADMIN_TOKENS", tenant + "=" + TENANT_TOKEN);
        api = new ApiClient(gateway);
        assertThat(api.putTenant(tenant, Fixtures.zoneAtNoon()).status()).isEqualTo(201);
        assertThat(api.putTenant(otherTenant, "UTC").status()).isEqualTo(201);
        assertThat(api.createAgent(tenant, "1001", Fixtures.password("1001"), List.of("outbound", "closer")).status())
                .isEqualTo(201);
        console = "http://127.0.0.1:" + gateway.adminPort() + "/console";
        chromium = HeadlessChromium.start();
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @BeforeEach
    void signedOut() {
        chromium.open(console);
        chromium.script("sessionStorage.clear()");
        chromium.open(console);
    }

    @Test
    void theArticlesStoryFromSignInToRemovingASeat() {
        chromium.find("#sign-in-tenant");
        chromium.screenshot("sign-in");
        signIn(tenant, TENANT_TOKEN);
        String outbound = "section.window[data-type='outbound'] ";
        chromium.awaitText(outbound + "dd.active", "0");
        chromium.awaitText("section.window[data-type='closer'] dd.active", "0");

        // Add 3 outbound seats: the confirmation shows the quote's charge; a double click on it buys once.
        type(outbound + "input[name='add-count']", "3");
        chromium.find(outbound + "button.add").click();
        String shown = chromium.find(outbound + ".confirm strong.charge").getText();
        JsonNode quote = api.admin("GET", "/v1/tenants/" + tenant + "/licenses/outbound/quote?count=3", null).json();
        assertThat(shown).isEqualTo(quote.at("/charge/amount").asText() + " " + quote.at("/charge/currency").asText());
        chromium.screenshot("licenses-confirm");
        new Actions(chromium.driver()).doubleClick(chromium.find(outbound + "button.confirm-add")).perform();
        chromium.awaitText(outbound + "strong.charged", shown);
        List<JsonNode> purchases = events("purchase");
        assertThat(purchases).as("one purchase however many clicks").hasSize(1);
        assertThat(purchases.get(0).at("/charge/amount").asText() + " " + purchases.get(0).at("/charge/currency")
                .asText()).isEqualTo(shown);

        // Pending, counting down, then active without a reload.
        chromium.awaitTrue("the purchase is pending, counting down", () -> chromium.text(outbound + "ul.pending")
                .contains("3 seats") && chromium.text(outbound + ".countdown").matches("in 0:0\\d|now"));
        chromium.screenshot("licenses-pending");
        chromium.awaitText(outbound + "dd.active", "3");
        chromium.awaitText(outbound + "ul.pending", "None");

        // Clone agent 1001: the API's refusal is shown next to the field it names, then "Start clone" works.
        chromium.find("nav a[href='#agents']").click();
        chromium.find("tr[data-key='1001'] button.clone").click();
        type("form.panel input[name='agentId']", "1002");
        type("form.panel input[name='name']", "New Hire");
        type("form.panel input[name='password']", "short");
        chromium.find("form.panel button[type='submit']").click();
        String refusal = api.admin("POST", "/v1/tenants/" + tenant + "/agents/1001/clone",
                Map.of("agentId", "1009", "name", "New Hire", "password", "short")).json().at("/error/message").asText();
        chromium.awaitText("form.panel .field input[aria-invalid='true'] + p.error", refusal);
        assertThat(chromium.find("input[aria-invalid='true']").getAttribute("name")).isEqualTo("password");
        chromium.screenshot("agents-clone");
        type("form.panel input[name='password']", "welcome-1002");
        chromium.find("form.panel button[type='submit']").click();
        chromium.awaitTrue("the clone is listed", () -> chromium.visible("tr[data-key='1002']").isPresent());
        assertThat(chromium.text("tr[data-key='1002'] td.name")).isEqualTo("New Hire");
        assertThat(api.admin("GET", "/v1/tenants/" + tenant + "/agents/1002", null).json().get("licenseTypes"))
                .as("settings copied").hasSize(2);

        // The clone logs in over the API: "in use" changes on the page by itself.
        chromium.find("nav a[href='#licenses']").click();
        chromium.awaitText(outbound + "dd.inUse", "0");
        chromium.script("window.notReloaded = true");
        String session = Fixtures.sessionToken(api.login(tenant, "1002", "welcome-1002", "outbound"));
        chromium.awaitText(outbound + "dd.inUse", "1");
        chromium.awaitText(outbound + "dd.available", "2");
        assertThat(chromium.script("return window.notReloaded === true")).as("no reload").isEqualTo(true);
        chromium.screenshot("licenses");

        chromium.find("nav a[href='#sessions']").click();
        chromium.awaitTrue("the session is listed", () -> chromium.text("#sessions tbody").contains("1002"));
        chromium.screenshot("sessions");

        // Force it out from the Agents view.
        chromium.find("nav a[href='#agents']").click();
        chromium.awaitText("tr[data-key='1002'] td.loggedIn", "logged in");
        chromium.screenshot("agents");
        chromium.find("tr[data-key='1002'] button.logout").click();
        chromium.awaitText("tr[data-key='1002'] td.loggedIn", "—");
        Reply gone = api.heartbeat(session);
        assertThat(gone.status()).isEqualTo(410);
        assertThat(gone.json().at("/error/details/reason").asText()).isEqualTo("revoked");

        // Remove a seat: its date is the API's.
        chromium.find("nav a[href='#licenses']").click();
        chromium.awaitText(outbound + "dd.inUse", "0");
        type(outbound + "input[name='remove-count']", "1");
        chromium.find(outbound + "button.remove").click();
        chromium.find(outbound + "button.confirm-remove").click();
        chromium.awaitTrue("the removal is listed", () -> chromium.text(outbound + "ul.removals").startsWith("1 seat"));
        String effectiveAt = api.licenses(tenant).json().at("/licenses/outbound/scheduledRemovals/0/effectiveAt")
                .asText();
        assertThat(chromium.find(outbound + "ul.removals time").getAttribute("datetime")).isEqualTo(effectiveAt);
        assertThat(chromium.find(outbound + ".message time").getAttribute("datetime")).isEqualTo(effectiveAt);
        assertThat(chromium.text(outbound + "dd.active")).as("usable until the 1st").isEqualTo("3");
        chromium.screenshot("licenses-removal");

        // The other views, each from the API's answers.
        api.admin("PUT", "/v1/tenants/" + tenant + "/campaigns/spring", Map.of("name", "Spring sales",
                "limits", Map.of("outbound", Map.of("max", 2, "reserved", 1))));
        chromium.find("nav a[href='#campaigns']").click();
        chromium.awaitTrue("the campaign is listed", () -> chromium.text("#campaigns tbody").contains("Spring sales"));
        chromium.screenshot("campaigns");
        chromium.find("nav a[href='#queue']").click();
        chromium.awaitText("#queue p.none", "Nobody is waiting.");
        chromium.screenshot("waiting-line");
        chromium.find("nav a[href='#standing']").click();
        chromium.awaitText("#standing dd.status", "active");
        chromium.screenshot("standing");
        chromium.find("nav a[href='#billing']").click();
        chromium.awaitTrue("purchase and removal listed", () -> chromium.text("#billing tbody").contains(shown)
                && chromium.text("#billing tbody").contains("to be removed"));
        chromium.screenshot("billing");

        // Sign out: the token is gone from the tab.
        chromium.find("#sign-out").click();
        chromium.find("#sign-in-tenant");
        assertThat(chromium.script("return sessionStorage.length")).isEqualTo(0L);
    }

    @Test
    void aTenantsTokenCannotReachAnotherTenant() {
        signIn(otherTenant, TENANT_TOKEN);

        chromium.awaitText("#sign-in-error", "this token administers tenant '" + tenant + "' only");
        assertThat(chromium.visible("#console")).as("nothing of the other tenant shown").isEmpty();
        assertThat(chromium.script("return sessionStorage.length")).isEqualTo(0L);

        // The operator's token reaches it; by keyboard alone: sign in, then add a closer seat with Enter twice.
        type("#sign-in-tenant", otherTenant);
        new Actions(chromium.driver()).sendKeys(Keys.TAB).sendKeys(SeatgateExtension.ADMIN_TOKEN).sendKeys(Keys.ENTER)
                .perform();
        String closer = "section.window[data-type='closer'] ";
        chromium.awaitText(closer + "dd.active", "0");
        type(closer + "input[name='add-count']", "1" + Keys.ENTER);
        chromium.find(closer + "button.confirm-add");
        chromium.awaitTrue("the confirmation has the focus", () -> "confirm-add".equals(
                chromium.driver().switchTo().activeElement().getAttribute("class")));
        new Actions(chromium.driver()).sendKeys(Keys.ENTER).perform();
        chromium.awaitTrue("bought", () -> chromium.text(closer + ".message").startsWith("Bought 1 seat:"));
        assertThat(api.licenses(otherTenant).json().at("/licenses/closer/pending")).hasSize(1);
    }

    @Test
    void anAgentIsFoundModifiedAndDeleted() {
        for (String agentId : List.of("2001", "2002")) {
            api.createAgent(tenant, agentId, Fixtures.password(agentId), List.of("outbound", "closer"));
        }
        signIn(tenant, TENANT_TOKEN);
        chromium.find("nav a[href='#agents']").click();
        chromium.find("tr[data-key='2002']");

        type("input[name='search']", "2002");
        chromium.awaitTrue("only 2002 shown", () -> chromium.visible("tr[data-key='2001']").isEmpty()
                && chromium.visible("tr[data-key='2002']").isPresent());
        type("input[name='search']", "");

        chromium.find("tr[data-key='2001'] button.modify").click();
        type("form.panel input[name='name']", "Bo Chen");
        chromium.find("form.panel input[type='checkbox'][value='closer']").click();
        chromium.find("form.panel .field input[type='checkbox']").click(); // enabled: off
        chromium.find("form.panel button[type='submit']").click();
        chromium.awaitText("tr[data-key='2001'] td.name", "Bo Chen");
        assertThat(chromium.text("tr[data-key='2001'] td.licenseTypes")).isEqualTo("outbound");
        assertThat(chromium.text("tr[data-key='2001'] td.enabled")).isEqualTo("no (disabled)");
        JsonNode modified = api.admin("GET", "/v1/tenants/" + tenant + "/agents/2001", null).json();
        assertThat(modified.get("name").asText()).isEqualTo("Bo Chen");
        assertThat(modified.get("enabled").asBoolean()).isFalse();

        chromium.find("tr[data-key='2001'] button.delete").click();
        assertThat(chromium.find("form.panel h3").getText()).isEqualTo("Delete agent 2001 (Bo Chen)?");
        chromium.find("form.panel button[type='submit']").click();
        chromium.awaitTrue("2001 is gone", () -> chromium.visible("tr[data-key='2001']").isEmpty());
        assertThat(api.admin("GET", "/v1/tenants/" + tenant + "/agents/2001", null).status()).isEqualTo(404);
    }

    private static void signIn(String tenantId, String token) {
        type("#sign-in-tenant", tenantId);
        type("#sign-in-token", token);
        chromium.find("#sign-in-form button[type='submit']").click();
    }

    private static void type(String css, String text) {
        WebElement input = chromium.find(css);
        input.clear();
        input.sendKeys(text);
    }

    private static List<JsonNode> events(String type) {
        var matching = new java.util.ArrayList<JsonNode>();
        api.events(tenant).json().get("events").forEach(event -> {
            if (type.equals(event.get("type").asText())) {
                matching.add(event);
            }
        });
        return matching;
    }
}
