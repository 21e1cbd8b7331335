#!lua flags=allow-oom
-- renew_attached: a gateway renews the leases of the sessions its live sockets hold, for one tenant, in one call
-- per tick (LiveSessions.java), instead of one heartbeat script per session.
--
-- KEYS[1] sg:{t}:online (names the tenant's slot)
-- ARGV[2] key prefix sg:{t}:   ARGV[3] lease TTL ms   ARGV[4] tombstone ms
-- ARGV[5..] session id, holder ("gatewayId:attachment", as attach.lua recorded it), session id, holder, ...
--
-- Reply {leaseExpiresAt, sessionId, why, sessionId, why, ...}: the new expiry of the renewed leases, then each
-- session this holder no longer holds, and why: the reason it had ended with; 'lapsed' (its lease had run out and
-- this call ended it, as expired); 'moved' (another attachment holds it since); 'unknown' (forgotten).

local prefix, ttl, tombstone_ms = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local now = now_ms()
suspended_now(prefix, now, tombstone_ms) -- a suspension due now ends every session first: each is dropped below
local extended = now + ttl
local reply = {extended}
local function drop(session_id, why)
  reply[#reply + 1] = session_id
  reply[#reply + 1] = why
end

for i = 5, #ARGV - 1, 2 do
  local session_id, holder = ARGV[i], ARGV[i + 1]
  local key = prefix .. 'session:' .. session_id
  local s = redis.call('HMGET', key, 'state', 'reason', 'type', 'holder', 'campaign')
  if not s[1] then
    drop(session_id, 'unknown')
  elseif s[1] == 'ended' then
    drop(session_id, s[2])
  elseif s[4] ~= holder then
    drop(session_id, 'moved')
  else
    local leases_key = prefix .. 'leases:' .. s[3]
    local expires = redis.call('ZSCORE', leases_key, session_id)
    if not expires or tonumber(expires) <= now then
      end_session(prefix, session_id, 'expired', now, tombstone_ms)
      drop(session_id, 'lapsed')
    else
      set_lease(prefix, s[3], s[5], session_id, extended, 'XX')
      redis.call('PEXPIRE', key, ttl + tombstone_ms)
    end
  end
end
serve_freed(prefix, now, tombstone_ms)
return reply
