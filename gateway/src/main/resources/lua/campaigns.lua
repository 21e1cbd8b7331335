-- seatgate: campaigns' caps and reservations (API.md "Campaigns"), in the script library after lib.lua.
--
-- Keys (TenantKeys.java)
--   sg:{t}:campaigns                     hash  campaign → its record as JSON (name, limits)
--   sg:{t}:campaign-limits:{type}        hash  campaign → "max reserved" for the type (max '-': no cap); a campaign
--                                              without limits for a type is not in that type's hash
--   sg:{t}:cleases:{campaign}:{type}     zset  the leases of the campaign's sessions of the type (lib.lua set_lease):
--                                              a campaign's in-use is counted as seats are, by live leases (deleted
--                                              with the campaign: a campaign made again counts from zero)
--
-- The rule, checked in the same script that takes the seat: a session of type T in campaign c may take a seat only if
--   inUse(c, T) < max(c, T)                                                        (else CAMPAIGN_FULL)
--   active(T) − inUse(T) − Σ over the other campaigns d of max(0, reserved(d, T) − inUse(d, T)) > 0
-- A session without a campaign counts against every campaign's unmet reservation.

-- A value of a campaign-limits hash, "max reserved": max (nil: no cap) and reserved.
local function parse_limits(limits)
  local max, reserved = string.match(limits, '^(%S+) (%d+)$')
  return tonumber(max), tonumber(reserved) -- tonumber('-') is nil
end

-- The campaign's limits for the type: max (nil: no cap) and reserved (0 without any).
local function campaign_limits(prefix, license_type, campaign)
  local limits = redis.call('HGET', prefix .. 'campaign-limits:' .. license_type, campaign)
  if not limits then return nil, 0 end
  return parse_limits(limits)
end

-- Seats of the type that the tenant's campaigns reserve, all together; `except`: leave that campaign out.
local function reserved_total(prefix, license_type, except)
  local sum = 0
  local limits = redis.call('HGETALL', prefix .. 'campaign-limits:' .. license_type)
  for i = 1, #limits, 2 do
    if limits[i] ~= except then
      local _, reserved = parse_limits(limits[i + 1])
      sum = sum + reserved
    end
  end
  return sum
end

-- Live sessions of the type in the campaign. Leases that ran out leave the set here (a lapsed session's lease is never
-- renewed, and its record may be gone before anything ends it); one beyond the longest lease any gateway grants (a
-- clock offset changed since) does not count, as lib.lua expire_leases ends it in the type's set.
local function campaign_in_use(prefix, campaign, license_type, now)
  local key = prefix .. 'cleases:' .. campaign .. ':' .. license_type
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
  return redis.call('ZCOUNT', key, '(' .. now, now + MAX_LEASE_TTL_MS)
end

-- Σ over the campaigns other than `campaign` ('' for none) of their unmet reservations of the type. `leaving`: a
-- campaign one of whose sessions is moving out of it in this step (a takeover into another campaign).
local function reserved_for_others(prefix, license_type, campaign, now, leaving)
  local sum = 0
  local limits = redis.call('HGETALL', prefix .. 'campaign-limits:' .. license_type)
  for i = 1, #limits, 2 do
    local other = limits[i]
    local _, reserved = parse_limits(limits[i + 1])
    if other ~= campaign and reserved > 0 then
      local used = campaign_in_use(prefix, other, license_type, now)
      if other == leaving then used = used - 1 end
      if reserved > used then sum = sum + reserved - used end
    end
  end
  return sum
end

-- Whether one more session of the type in `campaign` may take a seat, with `in_use` seats of the type held by
-- others (the caller leaves out a seat the same agent moves from). Returns nil when it may; else 'full', max, inUse
-- of the campaign; or 'exhausted', reservedForOthers.
local function seat_refused(prefix, license_type, campaign, now, active, in_use, leaving)
  if campaign ~= '' then
    local max = campaign_limits(prefix, license_type, campaign)
    if max then
      local used = campaign_in_use(prefix, campaign, license_type, now)
      if used >= max then return 'full', max, used end
    end
  end
  local others = reserved_for_others(prefix, license_type, campaign, now, leaving)
  if active - in_use - others <= 0 then return 'exhausted', others end
  return nil
end
