package dev.seatgate.campaigns;

import dev.seatgate.Json;
import dev.seatgate.redis.LuaScript;
import dev.seatgate.redis.ScriptRunner;
import dev.seatgate.redis.TenantKeys;
import dev.seatgate.seats.SeatLedger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;

/**
 * The campaigns of every tenant, in Redis: written, read and deleted by scripts, each atomic with the checks it needs
 * (a tenant's reservations never exceed its seats). The claim enforces their caps and reservations
 * ({@code lua/campaigns.lua}); this is the admin side.
 */
public final class CampaignDirectory {

    private static final LuaScript PUT = LuaScript.load("put_campaign");
    private static final LuaScript LIST = LuaScript.load("list_campaigns");
    private static final LuaScript DELETE = LuaScript.load("delete_campaign");

    private final ScriptRunner scripts;
    private final List<String> licenseTypes;
    private final String sessionMemoryMillis = Long.toString(SeatLedger.SESSION_MEMORY.toMillis());

    public CampaignDirectory(ScriptRunner scripts, List<String> licenseTypes) {
        this.scripts = scripts;
        this.licenseTypes = licenseTypes;
    }

    /** What writing a campaign came to. */
    public sealed interface Put {
        record Created() implements Put {
        }

        record Updated() implements Put {
        }

        record NoTenant() implements Put {
        }

        /** The tenant's reservations of the type would exceed its seats: {@code reservable} is the most it may. */
        record TooManyReserved(String licenseType, long reservable) implements Put {
        }
    }

    /** A campaign with its live sessions per license type. */
    public record State(String campaign, Campaign settings, Map<String, Long> inUse) {
    }

    public CompletionStage<Put> put(String tenant, String id, Campaign campaign) {
        TenantKeys keys = TenantKeys.of(tenant);
        var args = new ArrayList<>(List.of(keys.prefix(), id, Json.write(campaign), sessionMemoryMillis,
                Integer.toString(licenseTypes.size())));
        for (String type : licenseTypes) {
            Campaign.Limit limit = campaign.limits().get(type);
            args.add(type);
            args.add(limit == null ? "" : limit.max() == null ? "-" : Integer.toString(limit.max()));
            args.add(limit == null ? "0" : Integer.toString(limit.reserved()));
        }
        return scripts.run(PUT, new String[] {keys.tenant()}, args.toArray(String[]::new))
                .thenApply(reply -> switch ((String) reply.get(0)) {
                    case "CREATED" -> new Put.Created();
                    case "UPDATED" -> new Put.Updated();
                    case "NO_TENANT" -> new Put.NoTenant();
                    case "INVALID_COUNT" -> new Put.TooManyReserved((String) reply.get(1), (Long) reply.get(2));
                    default -> throw new IllegalStateException("unexpected reply from put_campaign.lua: " + reply);
                });
    }

    /** Every campaign of the tenant, by id; empty when the tenant does not exist. */
    public CompletionStage<Optional<List<State>>> list(String tenant) {
        return read(tenant, "").thenApply(reply -> reply.map(Lookup::campaigns));
    }

    /** The campaign; empty when the tenant or the campaign does not exist ({@link Lookup} says which). */
    public CompletionStage<Optional<Lookup>> find(String tenant, String id) {
        return read(tenant, id);
    }

    /** A read: the campaigns found, or that the campaign asked for is not there. */
    public record Lookup(List<State> campaigns, boolean campaignFound) {
    }

    private CompletionStage<Optional<Lookup>> read(String tenant, String id) {
        TenantKeys keys = TenantKeys.of(tenant);
        String[] args = Stream.concat(Stream.of(keys.prefix(), id), licenseTypes.stream()).toArray(String[]::new);
        return scripts.run(LIST, new String[] {keys.tenant()}, args).thenApply(reply -> switch ((String) reply.get(0)) {
            case "NO_TENANT" -> Optional.empty();
            case "NOT_FOUND" -> Optional.of(new Lookup(List.of(), false));
            default -> {
                var found = new ArrayList<State>();
                for (Object row : reply.subList(1, reply.size())) {
                    List<?> fields = (List<?>) row;
                    var inUse = new LinkedHashMap<String, Long>();
                    for (int i = 0; i < licenseTypes.size(); i++) {
                        inUse.put(licenseTypes.get(i), (Long) fields.get(2 + i));
                    }
                    found.add(new State((String) fields.get(0), Json.read((String) fields.get(1), Campaign.class),
                            inUse));
                }
                found.sort(java.util.Comparator.comparing(State::campaign));
                yield Optional.of(new Lookup(found, true));
            }
        });
    }

    /** Whether the campaign was there (its caps and reservations end; its sessions keep their seats). */
    public enum Deleted { DELETED, NOT_FOUND, NO_TENANT }

    public CompletionStage<Deleted> delete(String tenant, String id) {
        TenantKeys keys = TenantKeys.of(tenant);
        String[] args = Stream.concat(Stream.of(keys.prefix(), id, sessionMemoryMillis), licenseTypes.stream())
                .toArray(String[]::new);
        return scripts.run(DELETE, new String[] {keys.tenant()}, args).thenApply(reply -> switch ((String) reply.get(0)) {
            case "OK" -> Deleted.DELETED;
            case "NOT_FOUND" -> Deleted.NOT_FOUND;
            case "NO_TENANT" -> Deleted.NO_TENANT;
            default -> throw new IllegalStateException("unexpected reply from delete_campaign.lua: " + reply);
        });
    }
}
