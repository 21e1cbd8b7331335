#!lua
-- purchase: record a purchase of seats that become active at activatesAt, once per Idempotency-Key, and
-- its billing event.
--
-- KEYS[1] sg:{t}:tenant   KEYS[2] sg:{t}:idem:purchase:{key digest}
-- ARGV[2] key prefix sg:{t}:   ARGV[3] license type   ARGV[4] purchase id   ARGV[5] count
-- ARGV[6] purchasedAt ms       ARGV[7] activatesAt ms
-- ARGV[8] request fingerprint (type and count)   ARGV[9] the purchase as JSON (the 201 body)
-- ARGV[10] how long the idempotency record is kept, ms
-- then the catalog (see catalog_from in lib.lua)
--
-- Replies
--   {'CREATED', json}    recorded now
--   {'REPLAYED', json}   this key already bought exactly this: the same purchase, nothing charged again
--   {'KEY_REUSED'}       this key already bought something else
--   {'STALE'}            a billing cycle after purchasedAt is billed already: take a fresh time, try again
--   {'SUSPENDED'}        the tenant is suspended (standing.lua); a retry of an earlier purchase still replays it
--   {'NO_TENANT'}
--
-- The pending seats, the idempotency record and the ledger event are written in one step, so a retry can
-- never add seats or events twice; activate_due (lib.lua) later counts the seats exactly once. Cycles that
-- started before purchasedAt are billed first, so this purchase (charged prorated) is not billed with them.

if redis.call('EXISTS', KEYS[1]) == 0 then return {'NO_TENANT'} end

local seen = redis.call('HMGET', KEYS[2], 'fingerprint', 'response')
if seen[1] then
  if seen[1] == ARGV[8] then return {'REPLAYED', seen[2]} end
  return {'KEY_REUSED'}
end

local prefix, license_type, purchased_at = ARGV[2], ARGV[3], ARGV[6]
if standing_at(prefix, now_ms()) == 'suspended' then return {'SUSPENDED'} end
if cycle_closed_after(prefix, purchased_at) then return {'STALE'} end
close_cycles(prefix, purchased_at, catalog_from(11))

redis.call('ZADD', prefix .. 'pending:' .. license_type, ARGV[7], ARGV[4] .. ':' .. ARGV[5])
redis.call('XADD', prefix .. 'billing', '*', 'type', 'purchase', 'at', purchased_at, 'data', ARGV[9])
redis.call('HSET', KEYS[2], 'fingerprint', ARGV[8], 'response', ARGV[9])
redis.call('PEXPIRE', KEYS[2], ARGV[10])
return {'CREATED', ARGV[9]}
