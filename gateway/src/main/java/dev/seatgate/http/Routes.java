package dev.seatgate.http;

import static io.netty.handler.codec.http.HttpMethod.DELETE;
import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.PATCH;
import static io.netty.handler.codec.http.HttpMethod.POST;
import static io.netty.handler.codec.http.HttpMethod.PUT;

import dev.seatgate.agents.AgentDirectory;
import dev.seatgate.agents.PasswordHasher;
import dev.seatgate.campaigns.CampaignDirectory;
import dev.seatgate.config.GatewayConfig;
import dev.seatgate.console.ConsoleFiles;
import dev.seatgate.licenses.BillingCycles;
import dev.seatgate.licenses.LicenseCatalog;
import dev.seatgate.licenses.LicenseLedger;
import dev.seatgate.line.LineWaits;
import dev.seatgate.line.WaitingLine;
import dev.seatgate.live.LiveSessions;
import dev.seatgate.metrics.GatewayMetrics;
import dev.seatgate.redis.RedisClock;
import dev.seatgate.seats.Admission;
import dev.seatgate.seats.SeatLedger;
import dev.seatgate.standing.AccountStanding;
import dev.seatgate.tenants.TenantDirectory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/** Every route of the two listeners, in one table each, the way API.md lists them. */
public final class Routes {

    /** The Prometheus text exposition format. */
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final LoginApi login;
    private final TenantsApi tenants;
    private final LicensesApi licenses;
    private final AgentsApi agents;
    private final SessionsApi sessions;
    private final QueueApi queue;
    private final CampaignsApi campaigns;
    private final StandingApi standing;
    private final ConsoleApi console;
    private final LineWaits lineWaits;
    private final OperationsApi operations;
    private final AdminAuth auth;
    private final ErrorMapper errors;
    private final AgentApiObserver observer;
    private final GatewayMetrics metrics;
    private final Router.Handler observedLogin;
    private final SeatLedger seats;
    private final GatewayConfig config;

    public Routes(GatewayConfig config, LicenseCatalog catalog, TenantDirectory tenantDirectory,
                  AgentDirectory agentDirectory, PasswordHasher hasher, Admission admission, SeatLedger seats,
                  LicenseLedger licenseLedger, WaitingLine line, LineWaits lineWaits, CampaignDirectory campaignDirectory,
                  BillingCycles billingCycles, RedisClock clock, Supplier<CompletionStage<Void>> readinessCheck,
                  InFlight inFlight, GatewayMetrics metrics, AccountStanding accountStanding) {
        this.metrics = metrics;
        this.errors = new ErrorMapper(metrics);
        this.observer = new AgentApiObserver(metrics, errors);
        this.login = new LoginApi(admission, seats, catalog, config.trustedProxies(),
                config.leaseTtl(), config.heartbeatInterval(), lineWaits::queued);
        this.observedLogin = observer.observe("login", login::login);
        this.seats = seats;
        this.config = config;
        this.tenants = new TenantsApi(tenantDirectory, billingCycles);
        this.licenses = new LicensesApi(tenantDirectory, licenseLedger, catalog);
        this.agents = new AgentsApi(tenantDirectory, agentDirectory, hasher, catalog, clock);
        this.sessions = new SessionsApi(tenantDirectory, seats);
        this.queue = new QueueApi(lineWaits, line, login, catalog);
        this.campaigns = new CampaignsApi(campaignDirectory, catalog);
        this.standing = new StandingApi(accountStanding);
        this.console = new ConsoleApi(ConsoleFiles.load());
        this.lineWaits = lineWaits;
        this.operations = new OperationsApi(readinessCheck, inFlight);
        this.auth = new AdminAuth(config.adminToken(), config.tenantAdminTokens(), config.metricsToken());
    }

    /** The agent API (softphones and dialers). */
    public Router agent() {
        return new Router(errors)
                .add(POST, "/v1/login", observedLogin)
                .add(POST, "/v1/heartbeat", observer.observe("heartbeat", login::heartbeat))
                .add(POST, "/v1/logout", observer.observe("logout", login::logout))
                .add(POST, "/v1/queue/wait", observer.observe("queue_wait", queue::await))
                .add(DELETE, "/v1/queue", observer.observe("queue_cancel", queue::cancel))
                .add(GET, LiveUpgrade.PATH, request -> CompletableFuture.failedFuture(ApiException.invalid(
                        "GET /v1/live is a WebSocket (RFC 6455): send it as an upgrade (Upgrade: websocket,"
                        + " Sec-WebSocket-Key, Sec-WebSocket-Version: 13)")))
                .add(GET, "/healthz", operations::health)
                .add(GET, "/readyz", operations::ready);
    }

    /**
     * {@code GET /v1/live}, the agent listener's WebSocket: its logins are the agent API's, counted and logged the
     * same way.
     */
    public ProtocolUpgrade live(LiveSessions live) {
        return new LiveUpgrade(new LiveServices(live, seats, observedLogin, lineWaits, queue, errors,
                config.heartbeatInterval(), config.leaseTtl()));
    }

    /**
     * The admin API (account admins, ops); every {@code /v1} call needs the admin token. The console's files need
     * none: the page asks for a token and sends it with each call.
     */
    public Router admin() {
        return new Router(errors)
                .add(PUT, "/v1/tenants/{tenant}", auth.require(tenants::put))
                .add(GET, "/v1/tenants/{tenant}", auth.require(tenants::get))
                .add(POST, "/v1/tenants/{tenant}/agents", auth.require(agents::create))
                .add(GET, "/v1/tenants/{tenant}/agents", auth.require(agents::list))
                .add(GET, "/v1/tenants/{tenant}/agents/{agentId}", auth.require(agents::get))
                .add(PATCH, "/v1/tenants/{tenant}/agents/{agentId}", auth.require(agents::patch))
                .add(DELETE, "/v1/tenants/{tenant}/agents/{agentId}", auth.require(agents::delete))
                .add(POST, "/v1/tenants/{tenant}/agents/{agentId}/clone", auth.require(agents::cloneAgent))
                .add(DELETE, "/v1/tenants/{tenant}/agents/{agentId}/resume-tokens",
                        auth.require(agents::revokeResumeTokens))
                .add(GET, "/v1/tenants/{tenant}/sessions", auth.require(sessions::list))
                .add(DELETE, "/v1/tenants/{tenant}/sessions/{sessionId}", auth.require(sessions::revoke))
                .add(GET, "/v1/tenants/{tenant}/queue", auth.require(queue::list))
                .add(GET, "/v1/tenants/{tenant}/campaigns", auth.require(campaigns::list))
                .add(PUT, "/v1/tenants/{tenant}/campaigns/{campaign}", auth.require(campaigns::put))
                .add(GET, "/v1/tenants/{tenant}/campaigns/{campaign}", auth.require(campaigns::get))
                .add(DELETE, "/v1/tenants/{tenant}/campaigns/{campaign}", auth.require(campaigns::delete))
                .add(DELETE, "/v1/tenants/{tenant}/queue/{agentId}", auth.require(queue::remove))
                .add(GET, "/v1/tenants/{tenant}/licenses", auth.require(licenses::counts))
                .add(GET, "/v1/tenants/{tenant}/licenses/{type}/quote", auth.require(licenses::quote))
                .add(POST, "/v1/tenants/{tenant}/licenses/{type}/purchases", auth.require(licenses::purchase))
                .add(POST, "/v1/tenants/{tenant}/licenses/{type}/removals", auth.require(licenses::removal))
                .add(GET, "/v1/tenants/{tenant}/billing/events", auth.require(licenses::events))
                .add(PUT, "/v1/tenants/{tenant}/standing", auth.requireOperator(standing::put))
                .add(GET, "/v1/tenants/{tenant}/standing", auth.require(standing::get))
                .add(GET, "/console", console::redirect)
                .add(GET, "/console/", console::index)
                .add(GET, "/console/{file}", console::file)
                .add(GET, "/healthz", operations::health)
                .add(GET, "/readyz", operations::ready)
                .add(GET, "/metrics", auth.requireForMetrics(request -> CompletableFuture.completedFuture(
                        ApiResponse.text(PROMETHEUS_TEXT, metrics.scrape()))));
    }
}
