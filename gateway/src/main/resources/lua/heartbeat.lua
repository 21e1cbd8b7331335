#!lua flags=allow-oom
-- heartbeat: extend a live session's lease.
--
-- KEYS[1] sg:{t}:session:{id}
-- ARGV[2] key prefix sg:{t}:   ARGV[3] session id   ARGV[4] token hash   ARGV[5] lease TTL ms
-- ARGV[6] tombstone ms
--
-- Replies
--   {'OK', leaseExpiresAt}
--   {'GONE', reason}     expired, superseded, revoked or logged_out: the client must log in again
--   {'EXPIRED'}          the lease had run out and this heartbeat ended the session (410 expired too)
--   {'UNKNOWN'}          never issued, forgotten, or the token's secret does not match
--
-- A lease that ran out is never revived, even if its seat is still free: the seat may have been counted
-- as free by a claim in between.

local prefix, session_id = ARGV[2], ARGV[3]
local ttl, tombstone_ms = tonumber(ARGV[5]), tonumber(ARGV[6])

local s = redis.call('HMGET', KEYS[1], 'token', 'state', 'reason', 'type')
if not s[1] or s[1] ~= ARGV[4] then return {'UNKNOWN'} end
if s[2] == 'ended' then return {'GONE', s[3]} end

local now = now_ms()
local leases_key = prefix .. 'leases:' .. s[4]
local expires = redis.call('ZSCORE', leases_key, session_id)
if not expires or tonumber(expires) <= now then
  end_session(prefix, session_id, 'expired', now, tombstone_ms)
  return {'EXPIRED'}
end

local extended = now + ttl
redis.call('ZADD', leases_key, 'XX', extended, session_id)
redis.call('PEXPIRE', KEYS[1], ttl + tombstone_ms)
return {'OK', extended}
