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
-- ARGV[19] '1' to wait in line when no seat is free (queue: true), else '0'
-- ARGV[20] a new ticket id   ARGV[21] the hex SHA-256 of its secret   ARGV[22] the most tickets a line holds
-- ARGV[23] the campaign the agent works in, or '' for none
--
-- Replies
--   {'OK', leaseExpiresAt, replacedSessionId or '', sessions expired, resumeExpiresAt}, and while the tenant is past
--                                  due: 'past_due', suspendAt or -1 (account_notice, standing.lua)
--   {'EXHAUSTED', active, inUse, nextActivationAt or -1, sessions expired, waiting, reservedForOthers}
--   {'CAMPAIGN_FULL', max, inUse of the campaign, sessions expired}
--   {'NO_CAMPAIGN'} | {'CAMPAIGN_NOT_PERMITTED'}  no such campaign; the agent may not work in it
--   {'QUEUED', ticketId, position, waiting, pollBefore, sessions expired}  queue '1' and no seat is free for this
--                                  login: the agent waits in line (line.lua); its ticket, new or the one it had
--   {'QUEUE_FULL', limit, sessions expired}  queue '1' and the line holds ARGV[22] tickets already
--   {'ALREADY', liveSessionId, sessions expired}  policy 'reject' and the agent holds a live session
--   {'LOCKED', ms left}            the agent is locked out after too many failed logins
--   {'AGENT_CHANGED'}              password proof: the agent is gone or its password changed since it was verified
--   {'BAD_RESUME'}                 resume proof: no such token of this agent, or it expired
--   {'DISABLED'} | {'NOT_PERMITTED'}  the agent is disabled, or may not use this license type
--   {'SUSPENDED', sessions ended}  the tenant is suspended (standing.lua); a suspension that came due now was applied
--   {'LATE'}                       past the deadline; nothing was changed
-- "sessions expired" counts the sessions whose lapsed leases this claim ended on the way (for the metrics).
--
-- Invariant 1: a seat is taken only if live leases < active seats, and the check and the take happen in
-- this one script, which Redis runs alone; so any number of gateways on one Redis cannot over-admit.
-- Purchases and removals whose time has come are counted first (fold, lib.lua), by every claim that counts.
-- The waiting line comes before newcomers: free seats go to the tickets in line first (serve_line), so a seat is
-- left for this login only when no ticket in line may take it.
-- A takeover on the same type moves the agent's seat to the new session and needs no free seat (into another
-- campaign it obeys that campaign's cap and the others' reservations); a takeover onto another type needs a free
-- seat of that type; a refused takeover keeps the old session. Campaign rules: campaigns.lua.

local prefix, license_type, agent = ARGV[2], ARGV[3], ARGV[4]
local session_id, token_hash, device = ARGV[5], ARGV[6], ARGV[7]
local ttl, policy = tonumber(ARGV[8]), ARGV[9]
local tombstone_ms, deadline = tonumber(ARGV[10]), tonumber(ARGV[11])
local by_password = ARGV[13] == 'password'
local resume_ttl = tonumber(ARGV[18])
local campaign = ARGV[23]

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
if campaign ~= '' then
  if redis.call('HEXISTS', prefix .. 'campaigns', campaign) == 0 then return {'NO_CAMPAIGN'} end
  if not may_work_in(gate, campaign) then return {'CAMPAIGN_NOT_PERMITTED'} end
end
local suspension, notice, notice_at = claim_standing(prefix, now, tombstone_ms, {license_type})
if suspension then return {'SUSPENDED', suspension} end

-- The agent's live session, if any. A lapsed one is ended here (its agent logs in again: the common first login of
-- a day), so that what follows sees the agent as new.
local expired = 0
local previous, previous_type, previous_fields, previous_campaign
local function find_previous()
  previous = redis.call('HGET', KEYS[1], agent)
  previous_type, previous_fields, previous_campaign = nil, nil, ''
  if not previous then return end
  previous_type, previous_fields = live_type(prefix, previous, now)
  if previous_type then
    previous_campaign = previous_fields[5] or ''
    return
  end
  if end_session(prefix, previous, 'expired', now, tombstone_ms) then expired = expired + 1 end
  redis.call('HDEL', KEYS[1], agent) -- also when the old session's hash has expired
  previous = nil
end
find_previous()

-- A takeover on the same type and campaign (a softphone reconnecting, the commonest login) moves the agent's own seat:
-- nothing is counted, so nothing needs to be brought up to date first. Any other login is judged on the count, after
-- due purchases and removals, lapsed leases and the waiting line have had their turn.
local moves_own_seat = previous_type == license_type and previous_campaign == campaign
local line_unserved = false
if not moves_own_seat then
  fold(prefix, license_type, now)
  expired = expired + expire_leases(prefix, license_type, now, tombstone_ms, 100, true)
  local handed
  handed, line_unserved = serve_line(prefix, license_type, now, tombstone_ms)
  if handed > 0 then -- one of them may have been this agent's own ticket, which ended the session it held
    find_previous()
    moves_own_seat = previous_type == license_type and previous_campaign == campaign
  end
end

-- Every reply after this point: the seats this claim freed (a superseded or lapsed session) go to their lines first.
local function finish(reply)
  serve_freed(prefix, now, tombstone_ms)
  return reply
end

-- No seat for this login: it waits in line, with the agent's ticket for the type if it has one (one more secret for
-- it: only digests are stored, so the same secret cannot be handed out again), else a new one at the end.
local function enqueue()
  local line_key = prefix .. 'line:' .. license_type
  local field = agent .. ':' .. license_type
  local ticket_id = redis.call('HGET', prefix .. 'tickets', field)
  local ticket_key = ticket_id and prefix .. 'ticket:' .. ticket_id
  if ticket_id and redis.call('HGET', ticket_key, 'state') == 'waiting' then
    local tokens = redis.call('HGET', ticket_key, 'tokens') .. ' ' .. ARGV[21] -- the newest four are kept
    redis.call('HSET', ticket_key, 'tokens', string.match(tokens, '(%x+ %x+ %x+ %x+)$') or tokens,
      'campaign', campaign) -- its latest login says which campaign it waits for (checked above)
  else
    if redis.call('ZCARD', line_key) >= tonumber(ARGV[22]) then return {'QUEUE_FULL', tonumber(ARGV[22]), expired} end
    ticket_id, ticket_key = ARGV[20], prefix .. 'ticket:' .. ARGV[20]
    local seq = redis.call('INCR', prefix .. 'line-seq')
    redis.call('ZADD', line_key, seq, ticket_id)
    redis.call('HSET', prefix .. 'tickets', field, ticket_id)
    redis.call('HSET', ticket_key, 'agent', agent, 'type', license_type, 'device', device, 'tokens', ARGV[21],
      'credential', gate.credential, 'campaign', campaign, 'session', session_id, 'ttl', ttl, 'since', now,
      'seq', seq, 'state', 'waiting')
  end
  local poll_before = now + ttl
  redis.call('ZADD', prefix .. 'line-expiry:' .. license_type, 'GT', poll_before, ticket_id) -- an open wait keeps it
  redis.call('PEXPIRE', ticket_key, ttl + TICKET_MEMORY_MS)
  if failures > 0 then redis.call('DEL', failures_key) end
  return {'QUEUED', ticket_id, redis.call('ZRANK', line_key, ticket_id) + 1, redis.call('ZCARD', line_key),
          poll_before, expired}
end

if previous and policy == 'reject' then return finish({'ALREADY', previous, expired}) end

if not moves_own_seat then
  local active = tonumber(redis.call('GET', prefix .. 'seats:' .. license_type) or '0')
  local in_use = live_leases(prefix, license_type, now)
  local moving = previous_type == license_type -- the agent's own seat moves into another campaign
  local refused, max, used = seat_refused(prefix, license_type, campaign, now, active,
    moving and in_use - 1 or in_use, moving and previous_campaign or nil)
  if not refused and line_unserved and not moving then refused = 'exhausted' end
  if refused then
    if ARGV[19] == '1' and not moving then return finish(enqueue()) end
    if refused == 'full' then return finish({'CAMPAIGN_FULL', max, used, expired}) end
    local next_activation = redis.call('ZRANGE', prefix .. 'pending:' .. license_type, 0, 0, 'WITHSCORES')
    return finish({'EXHAUSTED', active, in_use, tonumber(next_activation[2] or '-1'), expired,
                   waiting_count(prefix, license_type, now),
                   reserved_for_others(prefix, license_type, campaign, now, moving and previous_campaign or nil)})
  end
end

if previous then
  close_session(prefix, previous, previous_fields, 'superseded', now, tombstone_ms, true)
  if moves_own_seat then freed[license_type] = nil end -- the seat goes to the new session below, not to the line
end

local expires = now + ttl
local key = prefix .. 'session:' .. session_id
set_lease(prefix, license_type, campaign, session_id, expires)
redis.call('HSET', key, 'agent', agent, 'type', license_type, 'device', device, 'token', token_hash,
  'loggedInAt', now, 'state', 'live', 'campaign', campaign)
redis.call('PEXPIRE', key, ttl + tombstone_ms)
redis.call('HSET', KEYS[1], agent, session_id)
if failures > 0 then redis.call('DEL', failures_key) end
if by_password then
  resume_expires = now + resume_ttl
  remember_resume_token(resume_key, ARGV[16], ARGV[17], resume_expires, now)
end
return finish({'OK', expires, previous or '', expired, resume_expires, notice, notice_at})
