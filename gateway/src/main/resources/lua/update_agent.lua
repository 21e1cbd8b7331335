#!lua
-- update_agent: replace an agent's record if nobody changed it meanwhile, revoke its live session at once
-- if the change bars it from its seat (disabled, or its license type removed), revoke its resume tokens when
-- told (its password changed, or it is disabled), and tell every gateway to forget the credential it may
-- have cached.
--
-- KEYS[1] sg:{t}:agents
-- ARGV[2] key prefix sg:{t}:   ARGV[3] agent id
-- ARGV[4] SHA-1 of the record the change was made to (compare-and-set)
-- ARGV[5] the new record as JSON   ARGV[6] its gate (Agent.gate)   ARGV[7] tombstone ms
-- ARGV[8] the invalidation channel   ARGV[9] the message: "<tenant> <agent id>"
-- ARGV[10] '1' to revoke the agent's resume tokens, else '0'
--
-- Replies {'OK', revoked session id or ''} | {'NOT_FOUND'} | {'CONFLICT'} (changed meanwhile: read again)

local prefix, agent = ARGV[2], ARGV[3]
local current = redis.call('HGET', KEYS[1], agent)
if not current then return {'NOT_FOUND'} end
if redis.sha1hex(current) ~= ARGV[4] then return {'CONFLICT'} end

redis.call('HSET', KEYS[1], agent, ARGV[5])
redis.call('HSET', prefix .. 'gates', agent, ARGV[6])
local now = now_ms()
local revoked = revoke_if_barred(prefix, agent, agent_gate(prefix, agent), now, tonumber(ARGV[7]))
serve_freed(prefix, now, tonumber(ARGV[7]))
if ARGV[10] == '1' then redis.call('DEL', prefix .. 'resume:' .. agent) end
redis.call('PUBLISH', ARGV[8], ARGV[9])
return {'OK', revoked or ''}
