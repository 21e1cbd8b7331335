#!lua flags=allow-oom
-- get_standing: a tenant's account standing (GET /v1/tenants/{t}/standing), and a gateway's tick over the tenants
-- with a suspendAt (StandingTick.java): a suspension whose time has come is applied first (standing.lua).
--
-- KEYS[1] sg:{t}:tenant
-- ARGV[2] key prefix sg:{t}:   ARGV[3] tombstone ms   ARGV[4..] the catalog's license types (their lines are emptied)
--
-- Replies
--   {'OK', sessions ended, status, since, suspendAt or -1, note or nil}
--   {'NO_TENANT'}
--
-- allow-oom: applying a suspension frees seats, and must not wait for memory.

if redis.call('EXISTS', KEYS[1]) == 0 then return {'NO_TENANT'} end
local prefix = ARGV[2]
local types = {}
for i = 4, #ARGV do types[#types + 1] = ARGV[i] end
local now = now_ms()
local ended = apply_due_suspension(prefix, now, tonumber(ARGV[3]), types)
return {'OK', ended, standing_reply(prefix, now)}
