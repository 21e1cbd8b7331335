#!lua flags=allow-oom
-- sessions: a page of a tenant's live sessions, found through the agents that are online.
--
-- KEYS[1] sg:{t}:tenant
-- ARGV[2] key prefix sg:{t}:
-- ARGV[3] the page's HSCAN cursor (of sg:{t}:online)   ARGV[4] the last agent id of its batch handed out, or ''
-- ARGV[5] page size
--
-- Replies {'OK', next cursor or '', {sessionId, agentId, licenseType, deviceId, loggedInAt, leaseExpiresAt, campaign},
--   ...}
--   | {'NO_TENANT'}
-- A page holds at most ARGV[5] sessions, fewer when some online entries have lapsed (they are skipped).

if redis.call('EXISTS', KEYS[1]) == 0 then return {'NO_TENANT'} end

local prefix, now = ARGV[2], now_ms()
local online, next_cursor = hash_page(prefix .. 'online', ARGV[3], ARGV[4], tonumber(ARGV[5]))
local reply = {'OK', next_cursor}
for i = 1, #online, 2 do
  local session_id = online[i + 1]
  local license_type = live_type(prefix, session_id, now)
  if license_type then
    local s = redis.call('HMGET', prefix .. 'session:' .. session_id, 'agent', 'device', 'loggedInAt', 'campaign')
    local expires = redis.call('ZSCORE', prefix .. 'leases:' .. license_type, session_id)
    reply[#reply + 1] = {session_id, s[1], license_type, s[2] or '', s[3], expires, s[4] or ''}
  end
end
return reply
