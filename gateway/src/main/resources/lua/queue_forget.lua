#!lua flags=allow-oom
-- queue_forget: a gateway's tick found a tenant's lines empty: it leaves the index of tenants with tickets in line
-- (sg:lines, WaitingLine.java), unless a ticket joined since (the gateway that queued it wrote a later time).
--
-- KEYS[1] sg:lines   ARGV[2] tenant   ARGV[3] ms (Redis' clock): when the lines were seen empty
--
-- Reply: {1} when forgotten, else {0}.

local at = redis.call('ZSCORE', KEYS[1], ARGV[2])
if at and tonumber(at) < tonumber(ARGV[3]) then
  redis.call('ZREM', KEYS[1], ARGV[2])
  return {1}
end
return {0}
