-- seatgate: helpers shared by every script: the first part of the script library (ScriptLibrary.java), which defines
-- them once, when Redis loads it; KEYS and ARGV are those of the call being run.
--
-- Conventions
--   ARGV[1] is always the clock offset in milliseconds (SEATGATE_CLOCK_OFFSET; 0 outside tests and drills).
--   Times are integer milliseconds since the epoch on Redis' clock (invariant 2: TIME is the only clock).
--     They have 13 digits until the year 2286, so Lua's number-to-string conversion keeps them exact.
--   A lease is live while its score (expiry) is greater than now.
--   Key names are built as in TenantKeys.java: prefix .. 'leases:' .. type, prefix .. 'session:' .. id.
--     Every one carries the tenant's {hash tag}, so a script stays in one Redis Cluster slot.

-- The license types whose seats this script freed or activated (end_session, activate_due): line.lua's serve_freed
-- hands those seats to their waiting lines before the script returns. Every call starts with an empty one (the
-- library's functions reset it).
local freed = {}

-- Whether the tenant is suspended at `now` (prefix, now, tombstone_ms), a suspension that came due being applied first:
-- defined by standing.lua, which comes later in the library (a forward declaration), and asked by everything here and in
-- line.lua that hands out or renews a seat, so that nothing does so after suspendAt, before any tick has noticed.
local suspended_now

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
  freed[license_type] = true
end

-- Takes every removal whose effectiveAt is at or before `up_to` off the seat count, and records it in the
-- billing ledger, exactly once (the removal leaves its set in the same step). The count may go below zero
-- for a while when seats were dropped before a pending purchase activated; claims then refuse until the
-- purchase brings it up, and GET licenses shows zero.
local function apply_due_removals(prefix, license_type, up_to)
  local removals_key = prefix .. 'removals:' .. license_type
  local due = redis.call('ZRANGEBYSCORE', removals_key, '-inf', up_to, 'WITHSCORES')
  for i = 1, #due, 2 do
    local member, effective_at = due[i], due[i + 1]
    local removal_id, count = string.match(member, '^(.*):(%d+)$')
    redis.call('DECRBY', prefix .. 'seats:' .. license_type, count)
    redis.call('XADD', prefix .. 'billing', '*', 'type', 'removal_applied', 'at', effective_at, 'data',
      cjson.encode({removalId = removal_id, licenseType = license_type, count = tonumber(count),
                    effectiveAt = effective_at}))
    redis.call('ZREM', removals_key, member)
  end
end

-- Brings the seat count of a type up to `now`: purchases activated, removals applied.
local function fold(prefix, license_type, now)
  activate_due(prefix, license_type, now)
  apply_due_removals(prefix, license_type, now)
end

-- Seats a tenant owns of a type: active plus bought but not yet active (what a cycle bills).
local function owned(prefix, license_type)
  local seats = tonumber(redis.call('GET', prefix .. 'seats:' .. license_type) or '0')
  for _, member in ipairs(redis.call('ZRANGE', prefix .. 'pending:' .. license_type, 0, -1)) do
    seats = seats + tonumber(string.match(member, ':(%d+)$'))
  end
  return seats
end

-- The license catalog passed at the end of ARGV, from index `first`: count, then name, price in cents,
-- currency for each type.
local function catalog_from(first)
  local catalog = {}
  for i = 1, tonumber(ARGV[first]) do
    local at = first + 1 + (i - 1) * 3
    catalog[i] = {name = ARGV[at], cents = tonumber(ARGV[at + 1]), currency = ARGV[at + 2]}
  end
  return catalog
end

local function money(cents)
  return string.format('%d.%02d', math.floor(cents / 100), cents % 100)
end

-- Bills every monthly cycle that has started by `up_to` and is not billed yet, oldest first: one `cycle`
-- event per tenant per month, listing per type the seats owned at the start of the month and their price.
-- Removals that take effect at that start are applied first (dropped seats are not billed); purchases made
-- after it are not in it (purchase.lua closes due cycles before it adds seats). The cycle leaves the set of
-- upcoming cycles in the same step, so however many gateways try, it is billed once.
local function close_cycles(prefix, up_to, catalog)
  local cycles_key = prefix .. 'cycles'
  local due = redis.call('ZRANGEBYSCORE', cycles_key, '-inf', up_to, 'WITHSCORES')
  for i = 1, #due, 2 do
    local month, starts_at = due[i], due[i + 1]
    local lines = {}
    for j, license in ipairs(catalog) do
      apply_due_removals(prefix, license.name, starts_at)
      local seats = owned(prefix, license.name)
      lines[j] = {licenseType = license.name, seats = seats, unitMonthlyPrice = money(license.cents),
                  amount = money(seats * license.cents), currency = license.currency}
    end
    redis.call('XADD', prefix .. 'billing', '*', 'type', 'cycle', 'at', starts_at, 'data',
      cjson.encode({cycle = month, startsAt = starts_at, lines = lines}))
    redis.call('ZREM', cycles_key, month)
    redis.call('HSET', prefix .. 'cycle:closed', 'month', month, 'startsAt', starts_at)
  end
end

-- Adds the cycle starts passed in ARGV from index `first` (count, then month and start ms for each) to the
-- tenant's set of unbilled cycles, or moves them when the tenant's zone changed. Never a month already
-- billed, and a month that has started only if it is there already (a tenant created on the 3rd is not
-- billed for that month's cycle; its purchases were prorated). The gateway computes the starts in Java:
-- Lua knows no time zones. A moved month takes along the removals that took effect at its start (a removal
-- is effective at the start of a month, in the tenant's zone), so that the cycle still bills without them
-- and the seats stay usable until the month begins in the new zone.
local function register_cycles(prefix, first, now, catalog)
  local closed = redis.call('HGET', prefix .. 'cycle:closed', 'month')
  for i = 1, tonumber(ARGV[first]) do
    local month, starts_at = ARGV[first + 2 * i - 1], ARGV[first + 2 * i]
    if not closed or month > closed then
      local was = redis.call('ZSCORE', prefix .. 'cycles', month)
      if was and was ~= starts_at then
        for _, license in ipairs(catalog) do
          local removals_key = prefix .. 'removals:' .. license.name
          for _, removal in ipairs(redis.call('ZRANGEBYSCORE', removals_key, was, was)) do
            redis.call('ZADD', removals_key, starts_at, removal)
          end
        end
      end
      if tonumber(starts_at) > now then
        redis.call('ZADD', prefix .. 'cycles', starts_at, month)
      else
        redis.call('ZADD', prefix .. 'cycles', 'XX', starts_at, month)
      end
    end
  end
end

-- Whether a billing cycle that starts after `at` has been billed already: a purchase or removal timed
-- before it would then land in the wrong month, so the gateway takes a fresh time and tries again.
local function cycle_closed_after(prefix, at)
  local starts_at = redis.call('HGET', prefix .. 'cycle:closed', 'startsAt')
  return starts_at and tonumber(starts_at) > tonumber(at)
end

-- The seats of a type held right now: leases that have not run out.
local function live_leases(prefix, license_type, now)
  return redis.call('ZCOUNT', prefix .. 'leases:' .. license_type, '(' .. now, '+inf')
end

-- What end_session needs of a session's record, read in one call: agent, type, state, holder, campaign.
local function session_fields(prefix, session_id)
  return redis.call('HMGET', prefix .. 'session:' .. session_id, 'agent', 'type', 'state', 'holder', 'campaign')
end

-- Whether a session holds its seat at `now`; returns its license type when it does, and the record's fields
-- (session_fields), which a caller that ends the session passes on to close_session instead of reading them again.
local function live_type(prefix, session_id, now)
  local s = session_fields(prefix, session_id)
  if s[3] ~= 'live' then return nil end
  local expires = redis.call('ZSCORE', prefix .. 'leases:' .. s[2], session_id)
  if expires and tonumber(expires) > now then return s[2], s end
  return nil
end

-- One page of a hash, for lists that must cost Redis a bounded time however large the tenant (PageCursor.java):
-- from HSCAN cursor `cursor`, the entries of its batch whose field sorts after `after` (those before were
-- handed out on the page before; sorting makes this hold when entries of the batch come and go meanwhile), at
-- most `limit` entries, with at most MAX_SCANS_PER_PAGE HSCAN calls of COUNT `limit`. Returns the entries
-- (field, value, field, value, ...) and the next page's cursor "scan.field", or '' after the last page.
local MAX_SCANS_PER_PAGE = 4

local function sorted_batch(entries)
  local pairs = {}
  for i = 1, #entries, 2 do pairs[#pairs + 1] = {entries[i], entries[i + 1]} end
  table.sort(pairs, function(a, b) return a[1] < b[1] end)
  return pairs
end

local function hash_page(key, cursor, after, limit)
  local taken = {}
  for _ = 1, MAX_SCANS_PER_PAGE do
    local batch = redis.call('HSCAN', key, cursor, 'COUNT', limit)
    for _, entry in ipairs(sorted_batch(batch[2])) do
      if entry[1] > after then
        if #taken / 2 == limit then return taken, cursor .. '.' .. taken[#taken - 1] end -- the rest: next page
        taken[#taken + 1] = entry[1]
        taken[#taken + 1] = entry[2]
      end
    end
    cursor, after = batch[1], ''
    if cursor == '0' then return taken, '' end
    if #taken / 2 == limit then break end
  end
  return taken, cursor .. '.'
end

-- Ended sessions that keep their record (tombstone) per agent; the oldest beyond it are forgotten.
local MAX_TOMBSTONES_PER_AGENT = 5

-- The channel a gateway hears the ends of the sessions held on its live sockets on (LiveSessions.java).
local LIVE_CHANNEL = 'sg:live:'

-- A session in a campaign keeps its lease in a second set too, of its campaign and type, with the same expiry, so
-- that a campaign's sessions are counted as seats are: by their live leases (campaigns.lua). Every lease write
-- goes through here. `options`: nil, or 'XX' to extend a lease only.
local function set_lease(prefix, license_type, campaign, session_id, expires, options)
  if options then
    redis.call('ZADD', prefix .. 'leases:' .. license_type, options, expires, session_id)
  else
    redis.call('ZADD', prefix .. 'leases:' .. license_type, expires, session_id)
  end
  if campaign and campaign ~= '' then
    local key = prefix .. 'cleases:' .. campaign .. ':' .. license_type
    if options then
      redis.call('ZADD', key, options, expires, session_id)
    else
      redis.call('ZADD', key, expires, session_id)
    end
  end
end

-- Ends a session: frees its seat, stops it being its agent's live session, and leaves a tombstone that
-- remembers the reason for tombstone_ms, so the session's next heartbeat can answer 410 with it. When a
-- gateway holds the session on a live socket (attach.lua: its 'holder' is "gatewayId:attachment"), that gateway
-- is told at once, on its channel: "sessionId reason endedAt"; sessions without a socket cost no message. An agent
-- keeps its last MAX_TOMBSTONES_PER_AGENT tombstones (listed in sg:{t}:ended:{agent}, oldest first): so that
-- no number of logins of one agent can fill Redis, an older one is deleted, and its heartbeat gets 401. Returns
-- whether it ended the session now (the gateway counts every end once, by reason, for its metrics).
--
-- close_session is the same with the record's fields already read (session_fields), and with `online_rewritten` when
-- the caller writes the agent's online entry itself (a takeover), which spares reading and deleting it.
local function close_session(prefix, session_id, s, reason, now, tombstone_ms, online_rewritten)
  if not s[1] or s[3] == 'ended' then return false end
  local key = prefix .. 'session:' .. session_id
  if s[4] then
    redis.call('PUBLISH', LIVE_CHANNEL .. string.match(s[4], '^[^:]+'), session_id .. ' ' .. reason .. ' ' .. now)
  end
  redis.call('ZREM', prefix .. 'leases:' .. s[2], session_id)
  if s[5] and s[5] ~= '' then redis.call('ZREM', prefix .. 'cleases:' .. s[5] .. ':' .. s[2], session_id) end
  freed[s[2]] = true
  if not online_rewritten and redis.call('HGET', prefix .. 'online', s[1]) == session_id then
    redis.call('HDEL', prefix .. 'online', s[1])
  end
  redis.call('HSET', key, 'state', 'ended', 'reason', reason, 'endedAt', now)
  redis.call('PEXPIRE', key, tombstone_ms)
  local tombstones = prefix .. 'ended:' .. s[1]
  redis.call('ZADD', tombstones, now, session_id)
  redis.call('PEXPIRE', tombstones, tombstone_ms)
  local excess = redis.call('ZCARD', tombstones) - MAX_TOMBSTONES_PER_AGENT
  if excess > 0 then
    local oldest = redis.call('ZPOPMIN', tombstones, excess)
    for i = 1, #oldest, 2 do redis.call('DEL', prefix .. 'session:' .. oldest[i]) end
  end
  return true
end

local function end_session(prefix, session_id, reason, now, tombstone_ms)
  return close_session(prefix, session_id, session_fields(prefix, session_id), reason, now, tombstone_ms, false)
end

-- A heartbeat: extends a live session's lease by ttl when the token is its own (heartbeat.lua, attach.lua).
-- Returns the reply heartbeat.lua documents. A lease that ran out is never revived, even if its seat is still
-- free: the seat may have been counted as free by a claim in between.
local function extend_lease(prefix, session_id, token_hash, ttl, tombstone_ms)
  local key = prefix .. 'session:' .. session_id
  local s = redis.call('HMGET', key, 'token', 'state', 'reason', 'type', 'campaign')
  if not s[1] or s[1] ~= token_hash then return {'UNKNOWN'} end
  if s[2] == 'ended' then return {'GONE', s[3]} end
  local now = now_ms()
  if suspended_now(prefix, now, tombstone_ms) then return {'GONE', 'suspended'} end -- it ended every session
  local leases_key = prefix .. 'leases:' .. s[4]
  local expires = redis.call('ZSCORE', leases_key, session_id)
  if not expires or tonumber(expires) <= now then
    end_session(prefix, session_id, 'expired', now, tombstone_ms)
    return {'EXPIRED'}
  end
  local extended = now + ttl
  set_lease(prefix, s[4], s[5], session_id, extended, 'XX')
  redis.call('PEXPIRE', key, ttl + tombstone_ms)
  return {'OK', extended}
end

-- An agent's gate: what a claim checks before it takes a seat (Agent.gate in Java): the credential id (SHA-1
-- of the password hash), whether it is enabled, its license types, its campaigns ('*' every one, '!' none, else
-- a comma list; a gate written before campaigns has none of this part, and means every one). Kept in the
-- tenant's gates hash by the scripts that write agents; built from the agent's record when missing. Nil when the
-- agent does not exist.
local function agent_gate(prefix, agent)
  local gate = redis.call('HGET', prefix .. 'gates', agent)
  if not gate then
    local json = redis.call('HGET', prefix .. 'agents', agent)
    if not json then return nil end
    local record = cjson.decode(json)
    local campaigns = '*'
    if type(record.campaigns) == 'table' then
      campaigns = #record.campaigns == 0 and '!' or table.concat(record.campaigns, ',')
    end
    gate = redis.sha1hex(record.passwordHash) .. ' ' .. (record.enabled and '1' or '0') .. ' '
      .. table.concat(record.licenseTypes, ',') .. ' ' .. campaigns
    redis.call('HSET', prefix .. 'gates', agent, gate)
  end
  local credential, enabled, types, campaigns = string.match(gate, '^(%S+) ([01]) (%S*) ?(%S*)$')
  return {credential = credential, enabled = enabled == '1', types = types,
          campaigns = campaigns == '' and '*' or campaigns}
end

local function permits(gate, license_type)
  return string.find(',' .. gate.types .. ',', ',' .. license_type .. ',', 1, true) ~= nil
end

-- Whether the agent may work in the campaign ('' for none: every agent may work without one).
local function may_work_in(gate, campaign)
  return campaign == '' or gate.campaigns == '*'
    or string.find(',' .. gate.campaigns .. ',', ',' .. campaign .. ',', 1, true) ~= nil
end

-- Revokes the agent's live session at once when its gate no longer lets it hold that seat: disabled,
-- deleted (gate nil), or its license type taken away. Returns the revoked session id, or nil.
local function revoke_if_barred(prefix, agent, gate, now, tombstone_ms)
  local session_id = redis.call('HGET', prefix .. 'online', agent)
  if not session_id then return nil end
  local license_type = live_type(prefix, session_id, now)
  if not license_type then
    -- Its lease ran out (or its record is gone): it is no longer the agent's live session. Ending it, and
    -- counting it as expired, is left to whatever notices the lapsed lease (a claim, its heartbeat).
    redis.call('HDEL', prefix .. 'online', agent)
    return nil
  end
  if not gate or not gate.enabled or not permits(gate, license_type) then
    end_session(prefix, session_id, 'revoked', now, tombstone_ms)
    return session_id
  end
  return nil
end

-- The longest lease any gateway grants: SEATGATE_LEASE_TTL at most PT1H (ConfigLoader).
local MAX_LEASE_TTL_MS = 3600000

-- Ends up to `limit` sessions of a type whose lease ran out (a crashed softphone, a killed gateway).
-- Counting never waits for this, live_leases judges by score; it keeps the sets small and records
-- 'expired' for the sessions' next heartbeats. With `with_horizon`, leases that run out after now + the
-- longest lease TTL end too: no gateway grants one, so such a lease was granted on a clock that ran ahead
-- (SEATGATE_CLOCK_OFFSET changed since), and it would hold its seat unseen once its session's record expired.
-- (Not the gateway's own TTL: during a rolling change of SEATGATE_LEASE_TTL, gateways grant both.)
-- Returns how many sessions it ended.
local function expire_leases(prefix, license_type, now, tombstone_ms, limit, with_horizon)
  local leases_key = prefix .. 'leases:' .. license_type
  local stale = redis.call('ZRANGEBYSCORE', leases_key, '-inf', now, 'LIMIT', 0, limit)
  if with_horizon then
    local horizon = '(' .. (now + MAX_LEASE_TTL_MS)
    for _, session_id in ipairs(redis.call('ZRANGEBYSCORE', leases_key, horizon, '+inf', 'LIMIT', 0, limit)) do
      stale[#stale + 1] = session_id
    end
  end
  local ended = 0
  for _, session_id in ipairs(stale) do
    if end_session(prefix, session_id, 'expired', now, tombstone_ms) then ended = ended + 1 end
    redis.call('ZREM', leases_key, session_id) -- also when the session's hash has expired long ago
  end
  return ended
end

-- The resume tokens an agent keeps (one per softphone or device, say): its newest MAX_RESUME_TOKENS always, and at most
-- RESUME_TOKENS_SLACK more, which go with the oldest beyond MAX_RESUME_TOKENS whenever that many have gathered. The
-- slack is what keeps the trim, a read of every token, off most logins (a password login mints a token every time:
-- trimming each one cost a takeover a sixth of its Redis time).
local MAX_RESUME_TOKENS = 10
local RESUME_TOKENS_SLACK = 5

-- Stores a new resume token of an agent: its id → "<hex SHA-256 of its secret> <expiresAt>". The hash expires
-- with its newest token; past MAX_RESUME_TOKENS + RESUME_TOKENS_SLACK, tokens that expired are dropped, and the oldest
-- down to MAX_RESUME_TOKENS.
local function remember_resume_token(resume_key, token_id, secret_hash, expires_at, now)
  redis.call('HSET', resume_key, token_id, secret_hash .. ' ' .. expires_at)
  redis.call('PEXPIRE', resume_key, expires_at - now) -- relative: expires_at may carry the clock offset
  if redis.call('HLEN', resume_key) <= MAX_RESUME_TOKENS + RESUME_TOKENS_SLACK then return end
  local tokens = redis.call('HGETALL', resume_key)
  local live = {}
  for i = 1, #tokens, 2 do
    local expiry = tonumber(string.match(tokens[i + 1], ' (%d+)$'))
    if expiry <= now then
      redis.call('HDEL', resume_key, tokens[i])
    else
      live[#live + 1] = {tokens[i], expiry}
    end
  end
  table.sort(live, function(a, b) return a[2] < b[2] end)
  for i = 1, #live - MAX_RESUME_TOKENS do redis.call('HDEL', resume_key, live[i][1]) end
end
