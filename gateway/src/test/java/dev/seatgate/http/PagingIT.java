package dev.seatgate.http;

import static dev.seatgate.testing.Fixtures.password;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seatgate.testing.ApiClient;
import dev.seatgate.testing.ApiClient.Reply;
import dev.seatgate.testing.Fixtures;
import dev.seatgate.testing.SeatgateExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Agents and sessions are listed a page at a time, each page costing Redis a bounded number of HSCAN steps
 * however large the tenant (before, one script read the whole tenant: 2.4 s for 300,000 agents, while every other
 * tenant's logins waited). Paging through a list that does not change meanwhile yields every entry exactly once.
 */
class PagingIT {

    @RegisterExtension
    static final SeatgateExtension seatgate = new SeatgateExtension();

    private static final int AGENTS = 1_200;
    private static final int LOGGED_IN = 300;
    /** More pages than any list here needs: a cursor that does not move on ends the loop, and the test fails. */
    private static final int MAX_PAGES = 100;
    private static ApiClient api;
    private static String tenant;

    @BeforeAll
    static void aTenantWithManyAgentsSomeLoggedIn() {
        api = new ApiClient(seatgate.startGateway());
        tenant = Fixtures.tenant(api, LOGGED_IN, 0, 0);
        for (int from = 1; from <= AGENTS; from += 50) {
            var created = IntStream.range(from, from + 50).mapToObj(i -> CompletableFuture.supplyAsync(() ->
                    api.createAgent(tenant, "a" + i, password("a" + i), List.of("outbound")).status())).toList();
            assertThat(created.stream().map(CompletableFuture::join)).containsOnly(201);
        }
        for (int i = 1; i <= LOGGED_IN; i++) {
            assertThat(api.login(tenant, "a" + i, password("a" + i), "outbound").status()).isEqualTo(200);
        }
    }

    @Test
    void agentsComeInPagesOfAtMostTheLimitAndTogetherEveryAgentOnce() {
        long scansBefore = hscanCalls();
        List<String> seen = new ArrayList<>();
        int pages = 0;
        int loggedIn = 0;
        String cursor = null;
        do {
            Reply page = api.admin("GET", "/v1/tenants/" + tenant + "/agents?limit=100"
                    + (cursor == null ? "" : "&cursor=" + cursor), null);
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.json().get("agents").size()).isLessThanOrEqualTo(100);
            for (JsonNode agent : page.json().get("agents")) {
                seen.add(agent.get("agentId").asText());
                loggedIn += agent.get("loggedIn").asBoolean() ? 1 : 0;
            }
            cursor = page.json().get("nextCursor").isNull() ? null : page.json().get("nextCursor").asText();
            pages++;
        } while (cursor != null && pages <= MAX_PAGES);

        assertThat(seen).hasSize(AGENTS).doesNotHaveDuplicates();
        assertThat(loggedIn).isEqualTo(LOGGED_IN);
        assertThat(pages).isBetween(AGENTS / 100, 2 * AGENTS / 100);
        assertThat(hscanCalls() - scansBefore).as("HSCAN steps, at most 4 a page").isLessThanOrEqualTo(4L * pages);
    }

    @Test
    void theFirstPageHoldsTheDefaultOf500AndSaysWhereTheNextStarts() {
        Reply first = api.admin("GET", "/v1/tenants/" + tenant + "/agents", null);

        assertThat(first.json().get("agents").size()).isEqualTo(500);
        assertThat(first.json().get("nextCursor").asText()).matches("\\d+\\.[A-Za-z0-9_-]*");
    }

    @Test
    void liveSessionsComeInPagesToo() {
        List<String> agents = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Reply page = api.admin("GET", "/v1/tenants/" + tenant + "/sessions?limit=64"
                    + (cursor == null ? "" : "&cursor=" + cursor), null);
            assertThat(page.json().get("sessions").size()).isLessThanOrEqualTo(64);
            page.json().get("sessions").forEach(session -> agents.add(session.get("agentId").asText()));
            cursor = page.json().get("nextCursor").isNull() ? null : page.json().get("nextCursor").asText();
        } while (cursor != null && ++pages <= MAX_PAGES);

        assertThat(agents).hasSize(LOGGED_IN).doesNotHaveDuplicates();
    }

    /**
     * A small tenant's agents come in one HSCAN batch that several pages share: an agent deleted from a page
     * already read must not make the next page skip one (a position within the batch would shift).
     */
    @Test
    void anAgentDeletedFromAPageAlreadyReadDoesNotMakeTheNextSkipOne() {
        String small = Fixtures.tenant(api, 0, 0, 60);
        Reply first = api.admin("GET", "/v1/tenants/" + small + "/agents?limit=10", null);
        List<String> seen = new ArrayList<>(first.json().get("agents").findValuesAsText("agentId"));
        assertThat(api.admin("DELETE", "/v1/tenants/" + small + "/agents/" + seen.get(0), null).status())
                .isEqualTo(204);

        String cursor = first.json().get("nextCursor").asText();
        for (int pages = 0; cursor != null && pages <= MAX_PAGES; pages++) {
            Reply page = api.admin("GET", "/v1/tenants/" + small + "/agents?limit=10&cursor=" + cursor, null);
            seen.addAll(page.json().get("agents").findValuesAsText("agentId"));
            cursor = page.json().get("nextCursor").isNull() ? null : page.json().get("nextCursor").asText();
        }

        assertThat(seen).hasSize(60).doesNotHaveDuplicates();
    }

    @Test
    void aBadLimitOrCursorIs400() {
        for (String query : List.of("limit=0", "limit=1001", "limit=ten", "cursor=abc", "cursor=1.2.3",
                "cursor=99999999999999999999.a1")) {
            Reply reply = api.admin("GET", "/v1/tenants/" + tenant + "/agents?" + query, null);
            assertThat(reply.status()).as(query).isEqualTo(400);
            assertThat(reply.errorCode()).isEqualTo("INVALID_REQUEST");
        }
        assertThat(api.admin("GET", "/v1/tenants/" + tenant + "/sessions?limit=0", null).status()).isEqualTo(400);
    }

    private static long hscanCalls() {
        Matcher calls = Pattern.compile("cmdstat_hscan:calls=(\\d+)").matcher(seatgate.redis().sync().info("commandstats"));
        return calls.find() ? Long.parseLong(calls.group(1)) : 0;
    }
}
