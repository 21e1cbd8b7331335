#!lua
-- put_campaign: create a campaign of a tenant, or replace its name and limits (API.md "Campaigns").
--
-- KEYS[1] sg:{t}:tenant
-- ARGV[2] key prefix sg:{t}:   ARGV[3] campaign   ARGV[4] the campaign as JSON (name, limits)   ARGV[5] tombstone ms
-- ARGV[6] the number of catalog types, then for each: type, max ('-' for no cap, '' for no limits of that type),
--         reserved
-- New limits may let a ticket in line take a seat it could not (a higher cap, a smaller reservation): every line
-- of the tenant is served before the script returns.
--
-- Replies {'CREATED'} | {'UPDATED'} | {'NO_TENANT'}
--   {'INVALID_COUNT', type, reservable}   the tenant's reservations of the type would exceed its active + pending
--                                         seats, less the removals scheduled; reservable: what this campaign may
--                                         reserve of it at most

if redis.call('EXISTS', KEYS[1]) == 0 then return {'NO_TENANT'} end
local prefix, campaign, tombstone_ms = ARGV[2], ARGV[3], tonumber(ARGV[5])
local now = now_ms()
local last = 6 + 3 * tonumber(ARGV[6])

for i = 7, last, 3 do
  local license_type, reserved = ARGV[i], tonumber(ARGV[i + 2])
  if reserved > 0 then
    fold(prefix, license_type, now)
    local reservable = owned(prefix, license_type) - reserved_total(prefix, license_type, campaign)
    for _, removal in ipairs(redis.call('ZRANGE', prefix .. 'removals:' .. license_type, 0, -1)) do
      reservable = reservable - tonumber(string.match(removal, ':(%d+)$')) -- the seats left after the removals
    end
    if reserved > reservable then return {'INVALID_COUNT', license_type, math.max(0, reservable)} end
  end
end

local created = redis.call('HSET', prefix .. 'campaigns', campaign, ARGV[4])
for i = 7, last, 3 do
  local limits_key = prefix .. 'campaign-limits:' .. ARGV[i]
  if ARGV[i + 1] == '' then
    redis.call('HDEL', limits_key, campaign)
  else
    redis.call('HSET', limits_key, campaign, ARGV[i + 1] .. ' ' .. ARGV[i + 2])
  end
end
for i = 7, last, 3 do serve_line(prefix, ARGV[i], now, tombstone_ms) end
serve_freed(prefix, now, tombstone_ms)
return {created == 1 and 'CREATED' or 'UPDATED'}
