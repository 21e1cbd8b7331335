package dev.seatgate.tenants;

import dev.seatgate.redis.LuaScript;
import dev.seatgate.redis.RedisConnector;
import dev.seatgate.redis.ScriptRunner;
import dev.seatgate.redis.TenantKeys;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** The tenants, one Redis hash each ({@code sg:{t}:tenant}), plus the set of all tenant ids. */
public final class TenantDirectory {

    private static final LuaScript PUT_TENANT = LuaScript.load("put_tenant");

    private final RedisConnector redis;
    private final ScriptRunner scripts;

    public TenantDirectory(RedisConnector redis, ScriptRunner scripts) {
        this.redis = redis;
        this.scripts = scripts;
    }

    /** The outcome of a PUT: whether it created the tenant, and the tenant as stored. */
    public record Put(boolean created, Tenant tenant) {
    }

    /** Creates the tenant, or updates its name and time zone. */
    public CompletionStage<Put> put(String id, String name, ZoneId timeZone) {
        TenantKeys keys = TenantKeys.of(id);
        // Not part of the script: the set of all tenants lives in another cluster slot. Adding the id first
        // means background work may meet a tenant id without a hash, and it skips those.
        return redis.commands().sadd(TenantKeys.TENANTS, id)
                .thenCompose(added -> scripts.run(PUT_TENANT, new String[] {keys.tenant()}, name, timeZone.getId()))
                .thenApply(reply -> new Put("CREATED".equals(reply.get(0)),
                        new Tenant(id, name, timeZone, Instant.ofEpochMilli(Long.parseLong((String) reply.get(1))))));
    }

    public CompletionStage<Optional<Tenant>> find(String id) {
        return redis.commands().hgetall(TenantKeys.of(id).tenant())
                .thenApply(fields -> fields.isEmpty() ? Optional.empty() : Optional.of(tenant(id, fields)));
    }

    private static Tenant tenant(String id, Map<String, String> fields) {
        return new Tenant(id, fields.get("name"), ZoneId.of(fields.get("timeZone")),
                Instant.ofEpochMilli(Long.parseLong(fields.get("createdAt"))));
    }
}
