#!lua
-- lockout_reserve: count a login attempt against an agent before its password is hashed, unless the count
-- has reached the limit already. Attempts in flight count like failures, so that parallel guesses cannot
-- outrun the lockout: of 60 guesses at once against a limit of 10, 10 are hashed. A right password gives
-- its attempt back (in the claim), and so does one never checked (lockout_release).
--
-- KEYS[1] the counter: sg:{t}:failures:{agentId}
-- ARGV[2] the limit   ARGV[3] window ms: the first attempt opens it, and the count ends with it
--
-- Replies {'OK'} (counted) | {'LOCKED', window ms left} (not counted)

local attempts = tonumber(redis.call('GET', KEYS[1]) or '0')
if attempts >= tonumber(ARGV[2]) then return {'LOCKED', redis.call('PTTL', KEYS[1])} end
if redis.call('INCR', KEYS[1]) == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return {'OK'}
