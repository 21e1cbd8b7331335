#!lua flags=allow-oom
-- lockout_release: give back an attempt counted by lockout_reserve whose password was never checked (the
-- hashing threads were booked).
--
-- KEYS[1] the counter: sg:{t}:failures:{agentId}
--
-- Replies {attempts left in the count}

local attempts = tonumber(redis.call('GET', KEYS[1]) or '0')
if attempts > 0 then attempts = redis.call('DECR', KEYS[1]) end
return {attempts}
