#!lua
-- lockout_fail: count a failed login; the first failure opens a window of ARGV[2] ms, and the count falls
-- back to zero when it ends (a fixed window: a locked agent waits for it to pass).
--
-- KEYS[1] the counter: sg:{t}:failures:{agentId} or sg:failures:{address}
-- ARGV[2] window ms
--
-- Replies {failures, window ms left}

local failures = redis.call('INCR', KEYS[1])
if failures == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return {failures, redis.call('PTTL', KEYS[1])}
