-- claim: log an agent in on a seat of one license type, or refuse. The heart of seatgate.
--
-- KEYS[1]  sg:{t}:online (the tenant's slot; other keys are built from the prefix, same slot)
-- ARGV[2]  key prefix sg:{t}:          ARGV[3]  license type        ARGV[4]  agent id
-- ARGV[5]  new session id              ARGV[6]  token hash (hex SHA-256 of the session secret)
-- ARGV[7]  device id ('' for none)     ARGV[8]  lease TTL ms
-- ARGV[9]  second-login policy: 'takeover' or 'reject'
-- ARGV[10] tombstone ms: how long an ended session remembers why it ended
-- ARGV[11] deadline ms on Redis' clock: the gateway has answered 503 by then, so past it claim nothing
-- ARGV[12] the credential id the gateway verified the password against (Agent.credentialId)
-- ARGV[13] failed logins that lock an agent out (LoginLockout): checked here, in the same step
--
-- Replies
--   {'OK', leaseExpiresAt, replacedSessionId or ''}
--   {'LOCKED', ms left}            the agent is locked out after too many failed logins
--   {'AGENT_CHANGED'}              the agent is gone or its password changed since it was verified
--   {'DISABLED'} | {'NOT_PERMITTED'}  the agent is disabled, or may not use this license type
--   {'EXHAUSTED', active, inUse, nextActivationAt or -1}
--   {'ALREADY', liveSessionId}     policy 'reject' and the agent holds a live session
--   {'LATE'}                       past the deadline; nothing was changed
--
-- Invariant 1: a seat is taken only if live leases < active seats, and the check and the take happen in
-- this one script, which Redis runs alone; so any number of gateways on one Redis cannot over-admit.
-- Purchases and removals whose time has come are counted first (fold, lib.lua), on every claim.
-- A takeover on the same type moves the agent's seat to the new session and needs no free seat; a
-- takeover onto another type needs a free seat of that type and keeps the old session if there is none.

local prefix, license_type, agent = ARGV[2], ARGV[3], ARGV[4]
local session_id, token_hash, device = ARGV[5], ARGV[6], ARGV[7]
local ttl, policy = tonumber(ARGV[8]), ARGV[9]
local tombstone_ms, deadline = tonumber(ARGV[10]), tonumber(ARGV[11])

local now = now_ms()
if now > deadline then return {'LATE'} end

-- Locked out agents stay out even with the right password; a login that gets in clears the count.
local failures_key = prefix .. 'failures:' .. agent
local failures = tonumber(redis.call('GET', failures_key) or '0')
if failures >= tonumber(ARGV[13]) then return {'LOCKED', redis.call('PTTL', failures_key)} end

-- The agent as it is now, not as the gateway (or its credential cache) last saw it.
local gate = agent_gate(prefix, agent)
if not gate or gate.credential ~= ARGV[12] then return {'AGENT_CHANGED'} end
if not gate.enabled then return {'DISABLED'} end
if not permits(gate, license_type) then return {'NOT_PERMITTED'} end

fold(prefix, license_type, now)
local expired = expire_leases(prefix, license_type, now, tombstone_ms, 100)

local previous = redis.call('HGET', KEYS[1], agent)
local previous_type = nil
if previous then
  previous_type = live_type(prefix, previous, now)
  if not previous_type then
    if end_session(prefix, previous, 'expired', now, tombstone_ms) then expired = expired + 1 end
    redis.call('HDEL', KEYS[1], agent) -- also when the old session's hash has expired
    previous = nil
  elseif policy == 'reject' then
    return {'ALREADY', previous, expired}
  end
end

if previous_type ~= license_type then
  local active = tonumber(redis.call('GET', prefix .. 'seats:' .. license_type) or '0')
  local in_use = live_leases(prefix, license_type, now)
  if in_use >= active then
    local next_activation = redis.call('ZRANGE', prefix .. 'pending:' .. license_type, 0, 0, 'WITHSCORES')
    return {'EXHAUSTED', active, in_use, tonumber(next_activation[2] or '-1'), expired}
  end
end

if previous then
  end_session(prefix, previous, 'superseded', now, tombstone_ms)
end

local expires = now + ttl
local key = prefix .. 'session:' .. session_id
redis.call('ZADD', prefix .. 'leases:' .. license_type, expires, session_id)
redis.call('HSET', key, 'agent', agent, 'type', license_type, 'device', device, 'token', token_hash,
  'loggedInAt', now, 'state', 'live')
redis.call('PEXPIRE', key, ttl + tombstone_ms)
redis.call('HSET', KEYS[1], agent, session_id)
if failures > 0 then redis.call('DEL', failures_key) end
return {'OK', expires, previous or '', expired}
