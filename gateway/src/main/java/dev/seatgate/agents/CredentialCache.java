package dev.seatgate.agents;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Remembers which passwords were verified recently, so that an agent logging in again (a softphone that
 * lost its lease, a dialer reconnecting) does not pay the slow hash every time.
 *
 * <p>It never holds a reusable secret: an entry is an HMAC-SHA256 of the password under a random key that
 * lives only in this process, plus the credential id of the hash it was verified against. A heap dump gives
 * an attacker nothing to log in with, nor anything cheaper to attack than the stored hash.
 *
 * <p>Staleness is handled three ways. The claim script compares the credential id with the agent's record in
 * Redis, so a login on a stale entry (password changed, agent disabled or deleted) is refused there and
 * retried through the full check: correctness never depends on this cache. Writers of agents publish on
 * {@link #INVALIDATION_CHANNEL}, and every gateway drops the entry at once. And entries expire after
 * {@link #EXPIRY} in any case, should a message be lost while a gateway was disconnected.
 */
public final class CredentialCache {

    /** The Redis pub/sub channel on which "{tenant} {agentId}" means: forget that agent's credential. */
    public static final String INVALIDATION_CHANNEL = "sg:credentials";
    /** The backstop: no entry outlives this, whatever happens to invalidation messages. */
    static final Duration EXPIRY = Duration.ofMinutes(10);

    private final Cache<Key, Entry> entries;
    private final ThreadLocal<Mac> macs;

    private record Key(String tenant, String agentId) {
    }

    private record Entry(byte[] hmac, String credentialId) {
    }

    /** @param maximumSize how many agents to remember; 0 turns the cache off (every login hashes). */
    public CredentialCache(int maximumSize) {
        this.entries = maximumSize == 0 ? null
                : Caffeine.newBuilder().maximumSize(maximumSize).expireAfterWrite(EXPIRY).build();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        var spec = new SecretKeySpec(key, "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(spec);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("every JDK has HmacSHA256", e);
            }
        });
    }

    /** The credential id the password was verified against, if it was and the entry is still here. */
    public Optional<String> verified(String tenant, String agentId, String password) {
        if (entries == null) {
            return Optional.empty();
        }
        Entry entry = entries.getIfPresent(new Key(tenant, agentId));
        if (entry == null || !MessageDigest.isEqual(entry.hmac(), hmac(tenant, agentId, password))) {
            return Optional.empty();
        }
        return Optional.of(entry.credentialId());
    }

    public void remember(String tenant, String agentId, String password, String credentialId) {
        if (entries != null) {
            entries.put(new Key(tenant, agentId), new Entry(hmac(tenant, agentId, password), credentialId));
        }
    }

    public void forget(String tenant, String agentId) {
        if (entries != null) {
            entries.invalidate(new Key(tenant, agentId));
        }
    }

    /** Handles a message of {@link #INVALIDATION_CHANNEL}. */
    public void onInvalidation(String message) {
        int space = message.indexOf(' ');
        if (space > 0) {
            forget(message.substring(0, space), message.substring(space + 1));
        }
    }

    /** The message that makes every gateway forget an agent's credential. */
    public static String invalidation(String tenant, String agentId) {
        return tenant + " " + agentId;
    }

    private byte[] hmac(String tenant, String agentId, String password) {
        Mac mac = macs.get();
        // Bound to the agent: the same password of two agents gives two unrelated entries.
        mac.update(tenant.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        mac.update(agentId.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        return mac.doFinal(password.getBytes(StandardCharsets.UTF_8));
    }
}
