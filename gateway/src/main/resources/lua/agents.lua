#!lua flags=allow-oom
-- agents: one agent, or a page of a tenant's agents, each with whether it holds a live session.
--
-- KEYS[1] sg:{t}:tenant
-- ARGV[2] key prefix sg:{t}:   ARGV[3] agent id, or '' for a page
-- ARGV[4] the page's HSCAN cursor   ARGV[5] the last agent id of its batch already handed out, or ''
-- ARGV[6] page size
--
-- Replies
--   {'OK', json, loggedIn (1 or 0)}                              one agent
--   {'PAGE', next cursor or '', json, loggedIn, json, loggedIn, ...}   a page (hash_page, lib.lua)
--   {'NO_TENANT'} | {'NOT_FOUND'}

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

local entries, next_cursor = hash_page(prefix .. 'agents', ARGV[4], ARGV[5], tonumber(ARGV[6]))
local reply = {'PAGE', next_cursor}
for i = 1, #entries, 2 do
  reply[#reply + 1] = entries[i + 1]
  reply[#reply + 1] = logged_in(entries[i])
end
return reply
