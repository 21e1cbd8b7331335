#!lua flags=allow-oom
-- agents: one agent or all agents of a tenant, each with whether it holds a live session.
--
-- KEYS[1] sg:{t}:tenant
-- ARGV[2] key prefix sg:{t}:   ARGV[3] agent id, or '' for all
--
-- Replies {'OK', json, loggedIn (1 or 0), json, loggedIn, ...} | {'NO_TENANT'} | {'NOT_FOUND'}

if redis.call('EXISTS', KEYS[1]) == 0 then return {'NO_TENANT'} end

local prefix, now = ARGV[2], now_ms()
local function logged_in(agent)
  local session_id = redis.call('HGET', prefix .. 'online', agent)
  return (session_id and live_type(prefix, session_id, now)) and 1 or 0
end

if ARGV[3] ~= '' then
  local json = redis.call('HGET', prefix .. 'agents', ARGV[3])
  if not json then return {'NOT_FOUND'} end
  return {'OK', json, logged_in(ARGV[3])}
end

local reply = {'OK'}
local all = redis.call('HGETALL', prefix .. 'agents')
for i = 1, #all, 2 do
  reply[#reply + 1] = all[i + 1]
  reply[#reply + 1] = logged_in(all[i])
end
return reply
