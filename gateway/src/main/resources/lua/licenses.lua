#!lua flags=allow-oom
-- licenses: the seat counts of every license type of a tenant, as of now.
--
-- KEYS[1] sg:{t}:tenant
-- ARGV[2] key prefix sg:{t}:   ARGV[3..] the catalog's license types
--
-- Replies
--   {'OK', now, {type, active, inUse, {purchaseId:count, activatesAt, ...}, {removalId:count, effectiveAt, ...},
--    waiting, {campaign, inUse, max or -1, reserved, ...}}, ...}   every campaign of the tenant, for every type
--   {'NO_TENANT'}
--
-- Due purchases and removals are counted first (fold, lib.lua), so the answer agrees with the next claim.
-- `active` may be negative for a while after a removal outran a pending purchase; the gateway shows 0.

if redis.call('EXISTS', KEYS[1]) == 0 then return {'NO_TENANT'} end

local prefix = ARGV[2]
local now = now_ms()
local campaigns = redis.call('HKEYS', prefix .. 'campaigns')
local reply = {'OK', now}
for i = 3, #ARGV do
  local license_type = ARGV[i]
  fold(prefix, license_type, now)
  reply[#reply + 1] = {
    license_type,
    tonumber(redis.call('GET', prefix .. 'seats:' .. license_type) or '0'),
    live_leases(prefix, license_type, now),
    redis.call('ZRANGE', prefix .. 'pending:' .. license_type, 0, -1, 'WITHSCORES'),
    redis.call('ZRANGE', prefix .. 'removals:' .. license_type, 0, -1, 'WITHSCORES'),
    waiting_count(prefix, license_type, now),
    {}
  }
  local by_campaign = reply[#reply][7]
  for _, campaign in ipairs(campaigns) do
    local max, reserved = campaign_limits(prefix, license_type, campaign)
    for _, value in ipairs({campaign, campaign_in_use(prefix, campaign, license_type, now), max or -1, reserved}) do
      by_campaign[#by_campaign + 1] = value
    end
  end
end
return reply
