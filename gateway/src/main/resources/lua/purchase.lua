-- purchase: record a purchase of seats that become active at activatesAt, once per Idempotency-Key.
--
-- KEYS[1] sg:{t}:tenant   KEYS[2] sg:{t}:idem:purchase:{key digest}   KEYS[3] sg:{t}:pending:{type}
-- ARGV[2] request fingerprint (type and count)   ARGV[3] the purchase as JSON (the 201 body)
-- ARGV[4] pending member 'purchaseId:count'      ARGV[5] activatesAt ms
-- ARGV[6] how long the idempotency record is kept, ms
--
-- Replies
--   {'CREATED', json}    recorded now
--   {'REPLAYED', json}   this key already bought exactly this: the same purchase, nothing charged again
--   {'KEY_REUSED'}       this key already bought something else
--   {'NO_TENANT'}
--
-- The pending member and the idempotency record are written in one step, so a retry can never add seats
-- twice, and activate_due (lib.lua) later moves the seats into the active count exactly once.

if redis.call('EXISTS', KEYS[1]) == 0 then return {'NO_TENANT'} end

local seen = redis.call('HMGET', KEYS[2], 'fingerprint', 'response')
if seen[1] then
  if seen[1] == ARGV[2] then return {'REPLAYED', seen[2]} end
  return {'KEY_REUSED'}
end

redis.call('ZADD', KEYS[3], ARGV[5], ARGV[4])
redis.call('HSET', KEYS[2], 'fingerprint', ARGV[2], 'response', ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[6])
return {'CREATED', ARGV[3]}
