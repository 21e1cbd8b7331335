#!lua flags=allow-oom
-- sessions: every live session of a tenant.
--
-- KEYS[1] sg:{t}:tenant
-- ARGV[2] key prefix sg:{t}:   ARGV[3..] the catalog's license types
--
-- Replies {'OK', {sessionId, agentId, licenseType, deviceId, loggedInAt, leaseExpiresAt}, ...} | {'NO_TENANT'}

if redis.call('EXISTS', KEYS[1]) == 0 then return {'NO_TENANT'} end

local prefix, now = ARGV[2], now_ms()
local reply = {'OK'}
for i = 3, #ARGV do
  local license_type = ARGV[i]
  local live = redis.call('ZRANGEBYSCORE', prefix .. 'leases:' .. license_type, '(' .. now, '+inf', 'WITHSCORES')
  for j = 1, #live, 2 do
    local session_id = live[j]
    local s = redis.call('HMGET', prefix .. 'session:' .. session_id, 'agent', 'device', 'loggedInAt')
    if s[1] then
      reply[#reply + 1] = {session_id, s[1], license_type, s[2] or '', s[3], live[j + 1]}
    end
  end
end
return reply
