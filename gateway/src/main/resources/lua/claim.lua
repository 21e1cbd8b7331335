#!lua
-- claim: log an agent in on a seat of one license type, or refuse. The heart of seatgate.
--
-- KEYS[1]  sg:{t}:online (the tenant's slot; other keys are built from the prefix, same slot)
-- ARGV[2]  key prefix sg:{t}:          ARGV[3]  license type        ARGV[4]  agent id
-- ARGV[5]  new session id              ARGV[6]  token hash (hex SHA-256 of the session secret)
-- ARGV[7]  device id ('' for none)     ARGV[8]  lease TTL ms
-- ARGV[9]  second-login policy: 'takeover' or 'reject'
-- ARGV[10] tombstone ms: how long an ended session remembers why it ended
-- ARGV[11] deadline ms on Redis' clock: the gateway has answered 503 by then, so past it claim nothing
-- ARGV[12] login attempts that lock an agent out (LoginLockout): checked here, in the same step
-- ARGV[13] the proof: 'password' or 'resume'
--   password: ARGV[14] the credential id the password was verified against (Agent.credentialId)
--             ARGV[15] '1' when the attempt was counted in flight (lockout_reserve): given back here
--             ARGV[16] a new resume token id   ARGV[17] the hex SHA-256 of its secret
--   resume:   ARGV[14] the resume token id     ARGV[15] the hex SHA-256 of its secret
-- ARGV[18] resume token TTL ms
--
-- Replies
--   {'OK', leaseExpiresAt, replacedSessionId or '', sessions expired, resumeExpiresAt}
--   {'EXHAUSTED', active, inUse, nextActivationAt or -1, sessions expired}
--   {'ALREADY', liveSessionId, sessions expired}  policy 'reject' and the agent holds a live session
--   {'LOCKED', ms left}            the agent is locked out after too many failed logins
--   {'AGENT_CHANGED'}              password proof: the agent is gone or its password changed since it was verified
--   {'BAD_RESUME'}                 resume proof: no such token of this agent, or it expired
--   {'DISABLED'} | {'NOT_PERMITTED'}  the agent is disabled, or may not use this license type
--   {'LATE'}                       past the deadline; nothing was changed
-- "sessions expired" counts the sessions whose lapsed leases this claim ended on the way (for the metrics).
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
local by_password = ARGV[13] == 'password'
local resume_ttl = tonumber(ARGV[18])

local now = now_ms()
if now > deadline then return {'LATE'} end

-- Locked out agents stay out even with the right password; a login that gets in clears the count. This
-- login's own attempt, counted while its password was hashed, is given back first: it was no failure.
local failures_key = prefix .. 'failures:' .. agent
local failures = tonumber(redis.call('GET', failures_key) or '0')
if by_password and ARGV[15] == '1' and failures > 0 then failures = redis.call('DECR', failures_key) end
if failures >= tonumber(ARGV[12]) then return {'LOCKED', redis.call('PTTL', failures_key)} end

-- The agent as it is now, not as the gateway (or its credential cache) last saw it.
local gate = agent_gate(prefix, agent)
local resume_key = prefix .. 'resume:' .. agent
local resume_expires
if by_password then
  if not gate or gate.credential ~= ARGV[14] then return {'AGENT_CHANGED'} end
else
  local stored = gate and redis.call('HGET', resume_key, ARGV[14])
  if not stored then return {'BAD_RESUME'} end
  local hash, expires = string.match(stored, '^(%x+) (%d+)$')
  resume_expires = tonumber(expires)
  if hash ~= ARGV[15] or resume_expires <= now then return {'BAD_RESUME'} end
end
if not gate.enabled then return {'DISABLED'} end
if not permits(gate, license_type) then return {'NOT_PERMITTED'} end

fold(prefix, license_type, now)
local expired = expire_leases(prefix, license_type, now, tombstone_ms, 100, true)

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
if by_password then
  resume_expires = now + resume_ttl
  remember_resume_token(resume_key, ARGV[16], ARGV[17], resume_expires, now)
end
return {'OK', expires, previous or '', expired, resume_expires}
