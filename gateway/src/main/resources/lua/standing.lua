-- seatgate: account standing (API.md "Account standing"), in the script library after lib.lua and line.lua.
--
-- Keys (TenantKeys.java)
--   sg:{t}:standing  hash  status (active | past_due | suspended), since (ms), suspendAt (ms; only while past_due),
--                          note; no hash: active since the tenant's createdAt
--   sg:suspensions   zset  tenant scored by its suspendAt (not tagged): the tenants every gateway's tick looks at
--                          (StandingTick.java); only plain commands and single-key scripts touch it
--
-- The rule: from suspendAt on (Redis' clock, invariant 2) a past_due tenant is suspended, whether or not any script
-- has noticed yet: standing_at judges by the time, so every script that asks agrees. No scheduler makes the change;
-- the first script that applies it (apply_due_suspension: a claim, GET standing, a PUT, or any gateway's tick)
-- switches the record, writes the billing event and ends everything, in one step, so it happens exactly once.

-- The standing at `now`: status, since (ms), suspendAt (ms or nil), note (or nil). A past_due standing whose
-- suspendAt has come reads as suspended since that instant.
local function standing_at(prefix, now)
  local s = redis.call('HMGET', prefix .. 'standing', 'status', 'since', 'suspendAt', 'note')
  if not s[1] then
    return 'active', tonumber(redis.call('HGET', prefix .. 'tenant', 'createdAt') or '0'), nil, nil
  end
  local suspend_at = s[3] and tonumber(s[3]) or nil
  local note = s[4] or nil
  if s[1] == 'past_due' and suspend_at and suspend_at <= now then return 'suspended', suspend_at, nil, note end
  return s[1], tonumber(s[2]), suspend_at, note
end

-- Writes a standing change to the billing ledger at `at` (ms): {status, note, suspendAt (ISO text from the gateway,
-- or null), automatic (true for the change at suspendAt)}.
local function record_standing(prefix, at, status, note, suspend_at_text, automatic)
  redis.call('XADD', prefix .. 'billing', '*', 'type', 'standing_changed', 'at', at, 'data',
    cjson.encode({status = status, note = note or cjson.null, suspendAt = suspend_at_text or cjson.null,
                  automatic = automatic}))
end

-- Ends every session of the tenant (reason 'suspended') and takes every ticket out of its waiting lines ('revoked'):
-- a seat handed to a ticket and not collected yet goes with its session. `types`: license types whose lines to empty
-- besides those of the tickets the tenant's tickets hash lists. Returns how many sessions it ended.
local function suspend_everything(prefix, now, tombstone_ms, types)
  local ended = 0
  local online = redis.call('HGETALL', prefix .. 'online')
  for i = 1, #online, 2 do
    local session_id = online[i + 1]
    local ticket_id = redis.call('HGET', prefix .. 'session:' .. session_id, 'ticket')
    if ticket_id then leave_line(prefix, ticket_id, 'revoked') end -- admitted, not collected: its wait hears revoked
    if end_session(prefix, session_id, 'suspended', now, tombstone_ms) then ended = ended + 1 end
    redis.call('HDEL', prefix .. 'online', online[i]) -- also when the session's record is gone
  end
  local lines = {}
  for _, license_type in ipairs(types) do lines[license_type] = true end
  local tickets = redis.call('HGETALL', prefix .. 'tickets')
  for i = 1, #tickets, 2 do lines[string.match(tickets[i], ':([^:]+)$')] = true end
  for license_type in pairs(lines) do
    local line_key = prefix .. 'line:' .. license_type
    for _, ticket_id in ipairs(redis.call('ZRANGE', line_key, 0, -1)) do
      local session_id = leave_line(prefix, ticket_id, 'revoked')
      if session_id and end_session(prefix, session_id, 'suspended', now, tombstone_ms) then ended = ended + 1 end
    end
    redis.call('DEL', line_key, prefix .. 'line-expiry:' .. license_type) -- tickets whose record had expired
  end
  return ended
end

-- Makes a due automatic suspension happen, once: a past_due standing whose suspendAt has come becomes suspended since
-- suspendAt, with its billing event, and everything of the tenant ends. Returns how many sessions it ended (0 when
-- nothing was due).
local function apply_due_suspension(prefix, now, tombstone_ms, types)
  local s = redis.call('HMGET', prefix .. 'standing', 'status', 'suspendAt', 'note')
  if s[1] ~= 'past_due' or not s[2] or tonumber(s[2]) > now then return 0 end
  redis.call('HSET', prefix .. 'standing', 'status', 'suspended', 'since', s[2])
  redis.call('HDEL', prefix .. 'standing', 'suspendAt')
  record_standing(prefix, s[2], 'suspended', s[3] or nil, nil, true)
  return suspend_everything(prefix, now, tombstone_ms, types)
end

-- For a claim, in one read of the standing: nil while the tenant may log in, with the notice the login's answer carries
-- while it is past due ('past_due' and suspendAt or -1; account_notice); else how many sessions this call ended by
-- applying a suspension that came due.
local function claim_standing(prefix, now, tombstone_ms, types)
  local s = redis.call('HMGET', prefix .. 'standing', 'status', 'suspendAt')
  if s[1] == 'suspended' then return 0 end
  if s[1] ~= 'past_due' then return nil end
  local suspend_at = s[2] and tonumber(s[2]) or nil
  if suspend_at and suspend_at <= now then return apply_due_suspension(prefix, now, tombstone_ms, types) end
  return nil, 'past_due', suspend_at or -1
end

suspended_now = function(prefix, now, tombstone_ms)
  local s = redis.call('HMGET', prefix .. 'standing', 'status', 'suspendAt')
  if s[1] == 'suspended' then return true end
  if s[1] ~= 'past_due' or not s[2] or tonumber(s[2]) > now then return false end
  apply_due_suspension(prefix, now, tombstone_ms, {})
  return true
end

-- What a login answer appends (claim.lua's OK, queue_wait.lua's ADMITTED) while the tenant is past due: 'past_due' and
-- its suspendAt (ms, -1 for none); nothing otherwise, so the reply keeps its length.
local function account_notice(prefix, now)
  local s = redis.call('HMGET', prefix .. 'standing', 'status', 'suspendAt')
  if s[1] ~= 'past_due' then return end
  local suspend_at = s[2] and tonumber(s[2]) or nil
  if suspend_at and suspend_at <= now then return end -- suspended from then on (standing_at): no notice
  return 'past_due', suspend_at or -1
end

-- The standing as the API answers it: status, since, suspendAt (-1 for none), note (false: nil in the reply).
local function standing_reply(prefix, now)
  local status, since, suspend_at, note = standing_at(prefix, now)
  return status, since, suspend_at or -1, note or false
end
