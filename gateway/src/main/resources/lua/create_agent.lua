#!lua
-- create_agent: add an agent to an existing tenant, unless the id is taken.
--
-- KEYS[1] sg:{t}:tenant   KEYS[2] sg:{t}:agents
-- ARGV[2] key prefix sg:{t}:   ARGV[3] agent id   ARGV[4] the agent as JSON   ARGV[5] its gate (Agent.gate)
--
-- Replies {'CREATED'} | {'AGENT_EXISTS'} | {'NO_TENANT'}

if redis.call('EXISTS', KEYS[1]) == 0 then return {'NO_TENANT'} end
if redis.call('HSETNX', KEYS[2], ARGV[3], ARGV[4]) == 0 then return {'AGENT_EXISTS'} end
redis.call('HSET', ARGV[2] .. 'gates', ARGV[3], ARGV[5])
return {'CREATED'}
