#!lua flags=allow-oom
-- queue_cancel: a ticket leaves the line: its holder gave up (DELETE /v1/queue), or an admin removed the agent's
-- tickets (DELETE /v1/tenants/{t}/queue/{agent}). A seat already handed to it and not collected yet is freed
-- (its session ends) and goes to the next in line.
--
-- KEYS[1] sg:{t}:tenant
-- ARGV[2] key prefix sg:{t}:   ARGV[3] tombstone ms
-- ARGV[4] 'ticket': ARGV[5] ticket id, ARGV[6] the hex SHA-256 of its secret; it leaves as 'cancelled'
--         'agent':  ARGV[5] agent id, ARGV[6..] the catalog's license types; its tickets leave as 'revoked'
--
-- Replies
--   {'OK', tickets that left}
--   {'GONE', reason}   (ticket) it had left already: expired, cancelled, revoked or admitted
--   {'UNKNOWN'}        (ticket) never issued, forgotten, or not one of its secrets
--   {'NOT_FOUND'}      (agent) no such agent, and no tickets of one   | {'NO_TENANT'}

if redis.call('EXISTS', KEYS[1]) == 0 then return {'NO_TENANT'} end
local prefix, tombstone_ms = ARGV[2], tonumber(ARGV[3])
local now = now_ms()

local function leave(ticket_id, reason)
  local session_id = leave_line(prefix, ticket_id, reason)
  if session_id then end_session(prefix, session_id, reason == 'cancelled' and 'logged_out' or 'revoked', now,
    tombstone_ms) end
end

local left = 0
if ARGV[4] == 'ticket' then
  local ticket_id = ARGV[5]
  local t = redis.call('HMGET', prefix .. 'ticket:' .. ticket_id, 'tokens', 'state', 'reason')
  if not t[1] or not string.find(' ' .. t[1] .. ' ', ' ' .. ARGV[6] .. ' ', 1, true) then return {'UNKNOWN'} end
  if t[2] == 'ended' then return {'GONE', t[3]} end
  if t[2] == 'answered' then return {'GONE', 'admitted'} end
  leave(ticket_id, 'cancelled')
  left = 1
else
  local agent = ARGV[5]
  for i = 6, #ARGV do
    local ticket_id = redis.call('HGET', prefix .. 'tickets', agent .. ':' .. ARGV[i])
    if ticket_id then
      leave(ticket_id, 'revoked')
      left = left + 1
    end
  end
  -- a deleted agent's tickets can still be removed; an unknown agent without tickets is not found
  if left == 0 and redis.call('HEXISTS', prefix .. 'agents', agent) == 0 then return {'NOT_FOUND'} end
end
serve_freed(prefix, now, tombstone_ms)
return {'OK', left}
