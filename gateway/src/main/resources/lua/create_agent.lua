-- create_agent: add an agent to an existing tenant, unless the id is taken.
--
-- KEYS[1] sg:{t}:tenant   KEYS[2] sg:{t}:agents
-- ARGV[2] agent id        ARGV[3] the agent as JSON
--
-- Replies {'CREATED'} | {'AGENT_EXISTS'} | {'NO_TENANT'}

if redis.call('EXISTS', KEYS[1]) == 0 then return {'NO_TENANT'} end
if redis.call('HSETNX', KEYS[2], ARGV[2], ARGV[3]) == 0 then return {'AGENT_EXISTS'} end
return {'CREATED'}
