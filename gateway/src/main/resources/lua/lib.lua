-- seatgate: helpers shared by every script, prepended to each one when it is loaded (LuaScript.java).
--
-- Conventions
--   ARGV[1] is always the clock offset in milliseconds (SEATGATE_CLOCK_OFFSET; 0 outside tests and drills).
--   Times are integer milliseconds since the epoch on Redis' clock (invariant 2: TIME is the only clock).
--     They have 13 digits until the year 2286, so Lua's number-to-string conversion keeps them exact.
--   A lease is live while its score (expiry) is greater than now.
--   Key names are built as in TenantKeys.java: prefix .. 'leases:' .. type, prefix .. 'session:' .. id.
--     Every one carries the tenant's {hash tag}, so a script stays in one Redis Cluster slot.

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[1])
end

-- Counts every purchase whose activation time has come as active seats. Invariant 3: the first script to
-- run at or after activatesAt does this, on whichever gateway; no scheduler is needed. A purchase leaves
-- the pending set in the same atomic step that adds its seats, so it is counted exactly once.
local function activate_due(prefix, license_type, now)
  local pending_key = prefix .. 'pending:' .. license_type
  local due = redis.call('ZRANGEBYSCORE', pending_key, '-inf', now)
  if #due == 0 then return end
  local seats = 0
  for _, member in ipairs(due) do
    seats = seats + tonumber(string.match(member, ':(%d+)$'))
  end
  redis.call('INCRBY', prefix .. 'seats:' .. license_type, seats)
  redis.call('ZREMRANGEBYSCORE', pending_key, '-inf', now)
end

-- The seats of a type held right now: leases that have not run out.
local function live_leases(prefix, license_type, now)
  return redis.call('ZCOUNT', prefix .. 'leases:' .. license_type, '(' .. now, '+inf')
end

-- Whether a session holds its seat at `now`; returns its license type when it does.
local function live_type(prefix, session_id, now)
  local s = redis.call('HMGET', prefix .. 'session:' .. session_id, 'type', 'state')
  if s[2] ~= 'live' then return nil end
  local expires = redis.call('ZSCORE', prefix .. 'leases:' .. s[1], session_id)
  if expires and tonumber(expires) > now then return s[1] end
  return nil
end

-- Ends a session: frees its seat, stops it being its agent's live session, and leaves a tombstone that
-- remembers the reason for tombstone_ms, so the session's next heartbeat can answer 410 with it.
local function end_session(prefix, session_id, reason, now, tombstone_ms)
  local key = prefix .. 'session:' .. session_id
  local s = redis.call('HMGET', key, 'agent', 'type', 'state')
  if not s[1] or s[3] == 'ended' then return end
  redis.call('ZREM', prefix .. 'leases:' .. s[2], session_id)
  if redis.call('HGET', prefix .. 'online', s[1]) == session_id then
    redis.call('HDEL', prefix .. 'online', s[1])
  end
  redis.call('HSET', key, 'state', 'ended', 'reason', reason, 'endedAt', now)
  redis.call('PEXPIRE', key, tombstone_ms)
end

-- Ends up to `limit` sessions of a type whose lease ran out (a crashed softphone, a killed gateway).
-- Counting never waits for this, live_leases judges by score; it keeps the sets small and records
-- 'expired' for the sessions' next heartbeats.
local function expire_leases(prefix, license_type, now, tombstone_ms, limit)
  local leases_key = prefix .. 'leases:' .. license_type
  local stale = redis.call('ZRANGEBYSCORE', leases_key, '-inf', now, 'LIMIT', 0, limit)
  for _, session_id in ipairs(stale) do
    end_session(prefix, session_id, 'expired', now, tombstone_ms)
    redis.call('ZREM', leases_key, session_id) -- also when the session's hash has expired long ago
  end
end
