#!lua flags=allow-oom
-- suspension_forget: a gateway's tick found a tenant with no suspension pending: it leaves the index of tenants with
-- a suspendAt (sg:suspensions, AccountStanding.java), unless an admin set a new suspendAt since (another score).
--
-- KEYS[1] sg:suspensions   ARGV[2] tenant   ARGV[3] the score the tick saw
--
-- Reply: {1} when forgotten, else {0}.

local seen = redis.call('ZSCORE', KEYS[1], ARGV[2])
if seen and tonumber(seen) == tonumber(ARGV[3]) then
  redis.call('ZREM', KEYS[1], ARGV[2])
  return {1}
end
return {0}
