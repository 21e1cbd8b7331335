#!lua flags=allow-oom
-- renew_attached: a gateway renews the leases of the sessions its live sockets hold, for one tenant, in one call
-- per tick (LiveSessions.java), instead of one heartbeat script per session.
--
-- KEYS[1] sg:{t}:online (names the tenant's slot)
-- ARGV[2] key prefix sg:{t}:   ARGV[3] lease TTL ms   ARGV[4] tombstone ms   ARGV[5] gateway id
-- ARGV[6..] session ids
--
-- Reply {leaseExpiresAt, sessionId, why, sessionId, why, ...}: the new expiry of the renewed leases, then each
-- session this gateway no longer holds, and why: an end reason (it ended; or its lease had run out, and this
-- call ended it as expired), 'moved' (a socket on another gateway attached it since) or 'unknown' (forgotten).

local prefix, ttl, tombstone_ms, gateway = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
local now = now_ms()
local extended = now + ttl
local reply = {extended}
local function drop(session_id, why)
  reply[#reply + 1] = session_id
  reply[#reply + 1] = why
end

for i = 6, #ARGV do
  local session_id = ARGV[i]
  local key = prefix .. 'session:' .. session_id
  local s = redis.call('HMGET', key, 'state', 'reason', 'type', 'gateway')
  if not s[1] then
    drop(session_id, 'unknown')
  elseif s[1] == 'ended' then
    drop(session_id, s[2])
  elseif s[4] ~= gateway then
    drop(session_id, 'moved')
  else
    local leases_key = prefix .. 'leases:' .. s[3]
    local expires = redis.call('ZSCORE', leases_key, session_id)
    if not expires or tonumber(expires) <= now then
      end_session(prefix, session_id, 'expired', now, tombstone_ms)
      drop(session_id, 'expired')
    else
      redis.call('ZADD', leases_key, 'XX', extended, session_id)
      redis.call('PEXPIRE', key, ttl + tombstone_ms)
    end
  end
end
return reply
