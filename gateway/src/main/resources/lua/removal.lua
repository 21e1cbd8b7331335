#!lua
-- removal: schedule seats of a type to stop counting at effectiveAt (the next 1st, 00:00 in the tenant's
-- zone), once per Idempotency-Key when one is given, and record it in the billing ledger.
--
-- KEYS[1] sg:{t}:tenant
-- ARGV[2] key prefix sg:{t}:   ARGV[3] license type   ARGV[4] removal id   ARGV[5] count
-- ARGV[6] requestedAt ms       ARGV[7] effectiveAt ms
-- ARGV[8] request fingerprint  ARGV[9] the removal as JSON (the 201 body)
-- ARGV[10] idempotency key digest, or '' without a key   ARGV[11] how long the record is kept, ms
-- then the catalog (see catalog_from in lib.lua)
--
-- Replies
--   {'CREATED', json} | {'REPLAYED', json} | {'KEY_REUSED'} | {'NO_TENANT'}
--   {'INVALID_COUNT', removable}   more than active + pending - already scheduled removals - the seats campaigns
--                                  reserve (a removal never leaves fewer seats than the reservations)
--   {'STALE'}                      a cycle after requestedAt is billed already: take a fresh time, try again
--
-- Nothing changes before effectiveAt: the seats stay active and usable. From then on every claim counts
-- the lower number (apply_due_removals in lib.lua), without a scheduler. Cycles that started before the
-- request are billed first, so the ledger stays in the order things happened.

if redis.call('EXISTS', KEYS[1]) == 0 then return {'NO_TENANT'} end

local prefix, license_type, count = ARGV[2], ARGV[3], tonumber(ARGV[5])
local idempotency_key = ARGV[10] ~= '' and prefix .. 'idem:removal:' .. ARGV[10] or nil
if idempotency_key then
  local seen = redis.call('HMGET', idempotency_key, 'fingerprint', 'response')
  if seen[1] then
    if seen[1] == ARGV[8] then return {'REPLAYED', seen[2]} end
    return {'KEY_REUSED'}
  end
end
if cycle_closed_after(prefix, ARGV[6]) then return {'STALE'} end
close_cycles(prefix, ARGV[6], catalog_from(12))

local removals_key = prefix .. 'removals:' .. license_type
fold(prefix, license_type, now_ms())
local removable = owned(prefix, license_type) - reserved_total(prefix, license_type)
for _, member in ipairs(redis.call('ZRANGE', removals_key, 0, -1)) do
  removable = removable - tonumber(string.match(member, ':(%d+)$'))
end
if count > removable then return {'INVALID_COUNT', math.max(0, removable)} end

redis.call('ZADD', removals_key, ARGV[7], ARGV[4] .. ':' .. ARGV[5])
redis.call('XADD', prefix .. 'billing', '*', 'type', 'removal_scheduled', 'at', ARGV[6], 'data', ARGV[9])
if idempotency_key then
  redis.call('HSET', idempotency_key, 'fingerprint', ARGV[8], 'response', ARGV[9])
  redis.call('PEXPIRE', idempotency_key, ARGV[11])
end
return {'CREATED', ARGV[9]}
