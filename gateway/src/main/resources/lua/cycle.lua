#!lua
-- cycle: bill every monthly cycle of a tenant that has started, and register the ones to come. Run by the
-- billing job of every gateway (so a tenant without traffic is billed too); running it twice, or on two
-- gateways at once, bills nothing twice.
--
-- KEYS[1] sg:{t}:cycles
-- ARGV[2] key prefix sg:{t}:
-- ARGV[3] number of cycle starts to register, then for each: month, start ms
-- then the catalog (see catalog_from in lib.lua)
--
-- Replies {'OK', next cycle start ms or -1}

local prefix, now = ARGV[2], now_ms()
local catalog = catalog_from(4 + 2 * tonumber(ARGV[3]))
close_cycles(prefix, now, catalog)
register_cycles(prefix, 3, now, catalog)
local next_start = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {'OK', tonumber(next_start[2] or '-1')}
