-- seatgate: the waiting line (API.md "The waiting line"), in the script library after lib.lua.
--
-- Keys (TenantKeys.java)
--   sg:{t}:line:{type}         zset  ticket id scored by its arrival (INCR sg:{t}:line-seq): first come, first served
--   sg:{t}:line-expiry:{type}  zset  the same tickets scored by pollBefore (ms): one not waited on by then leaves
--   sg:{t}:tickets             hash  "agent:type" → the id of the agent's waiting ticket for that type
--   sg:{t}:ticket:{id}         hash  agent, type, device, tokens (hex SHA-256 of each secret issued for it, newest
--                                    last), credential (the agent's credential id when it joined: a password change
--                                    or a delete and re-create voids the ticket), session (the id its session will
--                                    have), ttl (the lease TTL ms of the gateway that queued it), since, seq, state,
--                                    waiter (the gateway of its last wait or socket), and once admitted: admittedAt,
--                                    replaced; once gone: reason
-- A ticket's state: waiting → admitted (a seat was handed to it: its session exists, without a token) → answered
-- (a wait collected the session: claimed its token); or waiting/admitted → ended, with reason expired, cancelled
-- or revoked.
--
-- The rule (invariant 1 still holds): a seat is handed over only while live leases < active seats, in the same
-- script that counts them. Every script that frees or activates seats serves their lines before it returns
-- (serve_freed); seats that free without a script (a lease running out, a purchase's activation time coming) are
-- found by any gateway's tick (queue_tick.lua), and two ticks at once cannot hand one seat twice: each runs alone.

-- How long a ticket that left the line remembers why (410 for its late waits).
local TICKET_MEMORY_MS = 86400000
-- The channel a gateway hears of its waits' tickets on: "sg:line:<gatewayId>", message the ticket id.
local LINE_CHANNEL = 'sg:line:'
-- Hand-overs and sweeps per type in one script: bounds the time a script holds Redis; the next tick does the rest.
local MAX_HANDOVERS = 200
local MAX_SWEEP = 100
-- Tickets one serve steps over (their campaign full): a ticket further back waits for the next serve, and until then
-- no newcomer takes the seat.
local MAX_KEPT = 1000

local function notify_waiter(waiter, ticket_id)
  if waiter and waiter ~= '' then redis.call('PUBLISH', LINE_CHANNEL .. waiter, ticket_id) end
end

-- Takes a ticket out of the line for good: 'expired', 'cancelled' or 'revoked'. Its record stays a while, so that
-- its waits answer 410 with the reason. An admitted ticket whose session was not collected yet takes the session
-- along (its seat goes to the next in line); returns that session id, if any, for the caller to end.
local function leave_line(prefix, ticket_id, reason)
  local key = prefix .. 'ticket:' .. ticket_id
  local t = redis.call('HMGET', key, 'agent', 'type', 'state', 'waiter', 'session')
  if not t[1] then return nil end
  redis.call('ZREM', prefix .. 'line:' .. t[2], ticket_id)
  redis.call('ZREM', prefix .. 'line-expiry:' .. t[2], ticket_id)
  if t[3] ~= 'waiting' and t[3] ~= 'admitted' then return nil end
  if redis.call('HGET', prefix .. 'tickets', t[1] .. ':' .. t[2]) == ticket_id then
    redis.call('HDEL', prefix .. 'tickets', t[1] .. ':' .. t[2])
  end
  redis.call('HSET', key, 'state', 'ended', 'reason', reason)
  redis.call('PEXPIRE', key, TICKET_MEMORY_MS)
  notify_waiter(t[4], ticket_id)
  if t[3] == 'admitted' then return t[5] end
  return nil
end

-- Tickets of a type whose pollBefore has passed leave the line.
local function sweep_line(prefix, license_type, now)
  local stale = redis.call('ZRANGEBYSCORE', prefix .. 'line-expiry:' .. license_type, '-inf', now, 'LIMIT', 0, MAX_SWEEP)
  for _, ticket_id in ipairs(stale) do
    leave_line(prefix, ticket_id, 'expired')
    redis.call('ZREM', prefix .. 'line:' .. license_type, ticket_id) -- also when its record is gone
    redis.call('ZREM', prefix .. 'line-expiry:' .. license_type, ticket_id)
  end
end

-- Whether the ticket's agent may still take a seat of its type: not deleted (or deleted and created anew), enabled,
-- with its password unchanged since it joined the line, and still allowed the type and the campaign.
local function ticket_holds(prefix, agent, license_type, credential, campaign)
  local gate = agent_gate(prefix, agent)
  campaign = campaign or ''
  return gate ~= nil and gate.enabled and gate.credential == credential and permits(gate, license_type)
    and may_work_in(gate, campaign)
    and (campaign == '' or redis.call('HEXISTS', prefix .. 'campaigns', campaign) == 1) -- not deleted since
end

-- Hands a seat of the ticket's type to it: a session whose lease starts now, with no token until a wait collects it
-- (queue_wait.lua). The agent's other live session, of another type, is superseded (its seat goes to that type's
-- line). Returns 'admitted'; 'left' when the ticket can never take a seat (lapsed; or revoked: see ticket_holds);
-- or 'kept' for one that may not take this seat but stays in line in its place (its campaign is full, or the seat
-- is reserved for another campaign). The caller has checked that `active` seats are not all held. `full`: the
-- campaigns found full by this serve, so far (a cap cannot free up while seats are only handed out).
local function admit(prefix, ticket_id, now, tombstone_ms, active, full)
  local key = prefix .. 'ticket:' .. ticket_id
  local t = redis.call('HMGET', key, 'agent', 'type', 'device', 'session', 'ttl', 'state', 'waiter', 'credential',
    'campaign')
  if not t[1] or t[6] ~= 'waiting' then return 'left' end -- the caller takes it out of the line
  if t[9] and full[t[9]] then return 'kept' end
  local agent, license_type, session_id = t[1], t[2], t[4]
  local poll_before = redis.call('ZSCORE', prefix .. 'line-expiry:' .. license_type, ticket_id)
  if not poll_before or tonumber(poll_before) <= now then -- lapsed, not swept yet
    leave_line(prefix, ticket_id, 'expired')
    return 'left'
  end
  local campaign = t[9] or ''
  if not ticket_holds(prefix, agent, license_type, t[8], campaign) then
    leave_line(prefix, ticket_id, 'revoked')
    return 'left'
  end
  local refused = seat_refused(prefix, license_type, campaign, now, active, live_leases(prefix, license_type, now))
  if refused then
    if refused == 'full' then full[campaign] = true end
    return 'kept'
  end
  local previous = redis.call('HGET', prefix .. 'online', agent)
  if previous then
    if live_type(prefix, previous, now) then
      end_session(prefix, previous, 'superseded', now, tombstone_ms)
    else
      end_session(prefix, previous, 'expired', now, tombstone_ms)
      previous = nil
    end
  end
  local expires = now + tonumber(t[5])
  local session_key = prefix .. 'session:' .. session_id
  set_lease(prefix, license_type, campaign, session_id, expires)
  redis.call('HSET', session_key, 'agent', agent, 'type', license_type, 'device', t[3], 'token', '',
    'loggedInAt', now, 'state', 'live', 'ticket', ticket_id, 'campaign', campaign)
  redis.call('PEXPIRE', session_key, tonumber(t[5]) + tombstone_ms)
  redis.call('HSET', prefix .. 'online', agent, session_id)
  redis.call('ZREM', prefix .. 'line:' .. license_type, ticket_id)
  redis.call('ZREM', prefix .. 'line-expiry:' .. license_type, ticket_id)
  redis.call('HDEL', prefix .. 'tickets', agent .. ':' .. license_type)
  redis.call('HSET', key, 'state', 'admitted', 'admittedAt', now, 'replaced', previous or '')
  redis.call('PEXPIRE', key, tonumber(t[5]) + TICKET_MEMORY_MS)
  notify_waiter(t[7], ticket_id)
  return 'admitted'
end

-- Hands every free seat of a type to the line, first come first served. Due purchases count first; lapsed leases are
-- ended (their seats are free by count either way). A ticket that may not take a seat now is stepped over, and does
-- not block those behind it (`kept` counts those left in place). Returns how many it handed over, and whether it
-- stopped early, at MAX_HANDOVERS hand-overs or MAX_KEPT tickets stepped over, with seats and tickets left (the next
-- script or tick goes on; a newcomer must not take one of those seats meanwhile).
local function serve_line(prefix, license_type, now, tombstone_ms)
  local line_key = prefix .. 'line:' .. license_type
  if redis.call('EXISTS', line_key) == 0 then return 0, false end
  if suspended_now(prefix, now, tombstone_ms) then return 0, false end -- its lines were emptied
  sweep_line(prefix, license_type, now)
  fold(prefix, license_type, now)
  expire_leases(prefix, license_type, now, tombstone_ms, MAX_SWEEP, false)
  local active = tonumber(redis.call('GET', prefix .. 'seats:' .. license_type) or '0')
  local handed, kept, full = 0, 0, {}
  while live_leases(prefix, license_type, now) < active do
    local head = redis.call('ZRANGE', line_key, kept, kept)
    if #head == 0 then break end
    if handed == MAX_HANDOVERS or kept == MAX_KEPT then return handed, true end
    local verdict = admit(prefix, head[1], now, tombstone_ms, active, full)
    if verdict == 'admitted' then
      handed = handed + 1
    elseif verdict == 'kept' then
      kept = kept + 1
    else
      redis.call('ZREM', line_key, head[1])
      redis.call('ZREM', prefix .. 'line-expiry:' .. license_type, head[1])
    end
  end
  return handed, false
end

-- Serves the lines of every type whose seats this script freed or activated (lib.lua's `freed`), and of the types
-- those hand-overs freed in turn (an admitted agent's session of another type). Each hand-over takes a ticket out of
-- a line, so this ends.
local function serve_freed(prefix, now, tombstone_ms)
  local license_type = next(freed)
  while license_type do
    freed[license_type] = nil
    serve_line(prefix, license_type, now, tombstone_ms)
    license_type = next(freed)
  end
end

-- Tickets waiting for a type now (those whose pollBefore passed do not count, swept or not).
local function waiting_count(prefix, license_type, now)
  return redis.call('ZCOUNT', prefix .. 'line-expiry:' .. license_type, '(' .. now, '+inf')
end
