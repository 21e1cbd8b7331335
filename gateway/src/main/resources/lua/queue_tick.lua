#!lua flags=allow-oom
-- queue_tick: one gateway's look at one tenant's waiting lines, every tick (LineWaits.java). It hands over the seats
-- that freed without a script (a lease ran out, a purchase activated), and reports on the tickets this gateway's
-- waits and sockets hold: a live socket's ticket is kept for one more lease TTL, as a heartbeat keeps a lease.
--
-- KEYS[1] sg:{t}:online (names the tenant's slot)
-- ARGV[2] key prefix sg:{t}:   ARGV[3] tombstone ms   ARGV[4] the number of license types, then the types
-- then ticket id, ms to keep it ('0': leave as it is), ticket id, ms, ...
--
-- Reply {waiting in every line of the tenant, {ticketId, state, position, waiting}, ...}: state is 'waiting',
-- 'admitted' (a seat is handed to it: collect it with queue_wait.lua), 'answered' (collected already), or the reason
-- it left (position 0).

local prefix, tombstone_ms = ARGV[2], tonumber(ARGV[3])
local now = now_ms()
local types = tonumber(ARGV[4])
local waiting = 0
for i = 5, 4 + types do
  serve_line(prefix, ARGV[i], now, tombstone_ms)
end
serve_freed(prefix, now, tombstone_ms)
for i = 5, 4 + types do
  waiting = waiting + redis.call('ZCARD', prefix .. 'line:' .. ARGV[i])
end

local reply = {waiting}
for i = 5 + types, #ARGV - 1, 2 do
  local ticket_id, keep_ms = ARGV[i], tonumber(ARGV[i + 1])
  local key = prefix .. 'ticket:' .. ticket_id
  local t = redis.call('HMGET', key, 'state', 'type', 'reason')
  local row = {ticket_id, t[3] or 'expired', 0, 0}
  if t[1] == 'admitted' then
    row[2] = 'admitted'
  elseif t[1] == 'answered' then
    row[2] = 'answered'
  elseif t[1] == 'waiting' then
    local line_key = prefix .. 'line:' .. t[2]
    local rank = redis.call('ZRANK', line_key, ticket_id)
    if rank then
      if keep_ms > 0 then
        redis.call('ZADD', prefix .. 'line-expiry:' .. t[2], 'XX', 'GT', now + keep_ms, ticket_id)
        redis.call('PEXPIRE', key, keep_ms + TICKET_MEMORY_MS)
      end
      row = {ticket_id, 'waiting', rank + 1, redis.call('ZCARD', line_key)}
    end
  end
  reply[#reply + 1] = row
end
return reply
