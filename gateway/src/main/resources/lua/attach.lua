#!lua flags=allow-oom
-- attach: a live socket (GET /v1/live) takes a session over: its lease is extended as by a heartbeat, and the
-- session records who holds it, "gatewayId:attachment" (one id per attachment, so that a gateway's late renewal or
-- detach of an earlier attachment cannot touch a newer one), so that its end is published to that gateway at once
-- (lib.lua end_session) and only that attachment renews or detaches it. Attaching again, anywhere, moves it.
--
-- KEYS[1] sg:{t}:session:{id}
-- ARGV[2] key prefix sg:{t}:   ARGV[3] session id   ARGV[4] token hash   ARGV[5] lease TTL ms
-- ARGV[6] tombstone ms         ARGV[7] holder "gatewayId:attachment"
--
-- Replies: those of heartbeat.lua.

local reply = extend_lease(ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6]))
if reply[1] == 'OK' then redis.call('HSET', KEYS[1], 'holder', ARGV[7]) end
if next(freed) then serve_freed(ARGV[2], now_ms(), tonumber(ARGV[6])) end -- it ended a lapsed lease
return reply
