#!lua flags=allow-oom
-- detach: the live socket holding a session closed without a logout. The session keeps its seat for the
-- reconnect grace, then its lease runs out and the seat is free, unless a socket attaches it again (attach.lua,
-- on any gateway) before. Only the attachment that holds the session may detach it.
--
-- KEYS[1] sg:{t}:session:{id}
-- ARGV[2] key prefix sg:{t}:   ARGV[3] session id   ARGV[4] holder "gatewayId:attachment"   ARGV[5] grace ms
--
-- Replies
--   {'OK', leaseExpiresAt}   held until then
--   {'NOT_HELD'}             ended, expired, or attached by another socket since: nothing to do

local prefix, session_id = ARGV[2], ARGV[3]
local s = redis.call('HMGET', KEYS[1], 'state', 'type', 'holder', 'campaign')
if s[1] ~= 'live' or s[3] ~= ARGV[4] then return {'NOT_HELD'} end
local now = now_ms()
local leases_key = prefix .. 'leases:' .. s[2]
local expires = redis.call('ZSCORE', leases_key, session_id)
if not expires or tonumber(expires) <= now then return {'NOT_HELD'} end
local held_until = now + tonumber(ARGV[5])
set_lease(prefix, s[2], s[4], session_id, held_until, 'XX')
redis.call('HDEL', KEYS[1], 'holder')
return {'OK', held_until}
