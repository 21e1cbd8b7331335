#!lua flags=allow-oom
-- delete_agent: remove an agent, revoke its live session and its resume tokens at once, and tell every
-- gateway to forget the credential it may have cached.
--
-- KEYS[1] sg:{t}:agents
-- ARGV[2] key prefix sg:{t}:   ARGV[3] agent id   ARGV[4] tombstone ms
-- ARGV[5] the invalidation channel   ARGV[6] the message: "<tenant> <agent id>"
--
-- Replies {'OK', revoked session id or ''} | {'NOT_FOUND'}

local prefix, agent = ARGV[2], ARGV[3]
if redis.call('HDEL', KEYS[1], agent) == 0 then return {'NOT_FOUND'} end
redis.call('HDEL', prefix .. 'gates', agent)
redis.call('DEL', prefix .. 'resume:' .. agent)
local now = now_ms()
local revoked = revoke_if_barred(prefix, agent, nil, now, tonumber(ARGV[4]))
serve_freed(prefix, now, tonumber(ARGV[4]))
redis.call('PUBLISH', ARGV[5], ARGV[6])
return {'OK', revoked or ''}
