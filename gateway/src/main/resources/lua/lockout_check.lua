#!lua flags=allow-oom
-- lockout_check: how many logins failed in the current window for one agent or one client address, and
-- how long the window still runs.
--
-- KEYS[1] the counter: sg:{t}:failures:{agentId} or sg:failures:{address}
--
-- Replies {failures, window ms left} ({0, 0} when there were none)

local failures = redis.call('GET', KEYS[1])
if not failures then return {0, 0} end
return {tonumber(failures), redis.call('PTTL', KEYS[1])}
