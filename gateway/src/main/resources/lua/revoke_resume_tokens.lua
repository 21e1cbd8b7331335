#!lua flags=allow-oom
-- revoke_resume_tokens: forget every resume token of an agent (the admin's call).
--
-- KEYS[1] sg:{t}:agents   KEYS[2] sg:{t}:resume:{agentId}
-- ARGV[2] agent id
--
-- Replies {'OK'} | {'NOT_FOUND'} (no such agent)

if redis.call('HEXISTS', KEYS[1], ARGV[2]) == 0 then return {'NOT_FOUND'} end
redis.call('DEL', KEYS[2])
return {'OK'}
