#!lua
-- put_tenant: create a tenant, or update its name and time zone. (Its billing cycles are registered right
-- after, by cycle.lua, which knows the catalog.)
--
-- KEYS[1] sg:{t}:tenant
-- ARGV[2] name   ARGV[3] IANA time zone
--
-- Replies {'CREATED' or 'UPDATED', createdAt ms as a string}

local created = redis.call('HSETNX', KEYS[1], 'createdAt', now_ms())
redis.call('HSET', KEYS[1], 'name', ARGV[2], 'timeZone', ARGV[3])
return {created == 1 and 'CREATED' or 'UPDATED', redis.call('HGET', KEYS[1], 'createdAt')}
