#!lua flags=allow-oom
-- queue_wait: a ticket's holder asks how it stands (POST /v1/queue/wait, a live socket), and collects its session
-- once a seat was handed to it.
--
-- KEYS[1] sg:{t}:ticket:{id}
-- ARGV[2] key prefix sg:{t}:   ARGV[3] ticket id   ARGV[4] the hex SHA-256 of the ticket's secret
-- ARGV[5] 'open': a wait begins on this gateway (ARGV[6]); the ticket is kept for ARGV[7] ms (the wait, then one
--                 lease TTL): it never expires while a wait on it is open
--         'close': the wait ended without a seat; the ticket is kept for ARGV[7] ms (one lease TTL) from now
--         'check': only look (a notice came): nothing is extended
-- ARGV[6] this gateway's id   ARGV[7] ms, as above   ARGV[8] tombstone ms
-- ARGV[9] the hex SHA-256 of a new session secret   ARGV[10] a new resume token id   ARGV[11] the SHA-256 of its
-- secret   ARGV[12] resume token TTL ms: used when the ticket's session is collected now
--
-- Replies
--   {'WAITING', position, waiting, pollBefore}
--   {'ADMITTED', sessionId, leaseExpiresAt, replacedSessionId or '', resumeExpiresAt, agent, type, since,
--    admittedAt, campaign or '', and while the tenant is past due: 'past_due', suspendAt or -1 (account_notice,
--    standing.lua)}   the session handed to the ticket, now with the new secret: answered once, later waits get 410
--   {'GONE', reason}   expired, cancelled, revoked, or admitted (its session was answered to an earlier wait)
--   {'UNKNOWN'}        never issued, forgotten, or not one of the ticket's secrets
--
-- Before it answers, it serves the ticket's line (line.lua), so a wait finds a seat freed without a script at once.

local prefix, ticket_id, tombstone_ms = ARGV[2], ARGV[3], tonumber(ARGV[8])
local t = redis.call('HMGET', KEYS[1], 'tokens', 'state', 'type')
if not t[1] or not string.find(' ' .. t[1] .. ' ', ' ' .. ARGV[4] .. ' ', 1, true) then return {'UNKNOWN'} end

local now = now_ms()
suspended_now(prefix, now, tombstone_ms) -- a suspension due now revokes the ticket (and a seat handed to it) first
if t[2] == 'waiting' then
  serve_line(prefix, t[3], now, tombstone_ms)
  serve_freed(prefix, now, tombstone_ms)
end

local s = redis.call('HMGET', KEYS[1], 'state', 'reason', 'agent', 'session', 'since', 'admittedAt', 'replaced',
  'credential', 'campaign')
if s[1] == 'ended' then return {'GONE', s[2]} end
if s[1] == 'answered' then return {'GONE', 'admitted'} end

if s[1] == 'admitted' then
  local session_id = s[4]
  if not live_type(prefix, session_id, now) then
    -- handed over, but its lease ran out (nobody collected it in time), or it was revoked or taken over since
    local why = redis.call('HGET', prefix .. 'session:' .. session_id, 'reason')
    local reason = (why == 'revoked' and 'revoked') or ((why == 'superseded' or why == 'logged_out') and 'admitted')
      or 'expired'
    if why == nil or why == false or why == 'expired' then
      end_session(prefix, session_id, 'expired', now, tombstone_ms)
      serve_freed(prefix, now, tombstone_ms)
    end
    redis.call('HSET', KEYS[1], 'state', 'ended', 'reason', reason)
    return {'GONE', reason}
  end
  if not ticket_holds(prefix, s[3], t[3], s[8], s[9]) then -- its password changed (or more) since the hand-over
    end_session(prefix, session_id, 'revoked', now, tombstone_ms)
    serve_freed(prefix, now, tombstone_ms)
    redis.call('HSET', KEYS[1], 'state', 'ended', 'reason', 'revoked')
    return {'GONE', 'revoked'}
  end
  local resume_expires = now + tonumber(ARGV[12])
  redis.call('HSET', prefix .. 'session:' .. session_id, 'token', ARGV[9])
  remember_resume_token(prefix .. 'resume:' .. s[3], ARGV[10], ARGV[11], resume_expires, now)
  redis.call('HSET', KEYS[1], 'state', 'answered')
  return {'ADMITTED', session_id, tonumber(redis.call('ZSCORE', prefix .. 'leases:' .. t[3], session_id)), s[7] or '',
          resume_expires, s[3], t[3], s[5], s[6], s[9] or '', account_notice(prefix, now)}
end

local expiry_key = prefix .. 'line-expiry:' .. t[3]
local poll_before = redis.call('ZSCORE', expiry_key, ticket_id)
if not poll_before or tonumber(poll_before) <= now then -- lapsed (not swept yet), or out of line without a record
  leave_line(prefix, ticket_id, 'expired')
  return {'GONE', 'expired'}
end
if ARGV[5] == 'open' then redis.call('HSET', KEYS[1], 'waiter', ARGV[6]) end
if ARGV[5] ~= 'check' then -- never shortened: another wait on the ticket may be open (GT)
  redis.call('ZADD', expiry_key, 'XX', 'GT', now + tonumber(ARGV[7]), ticket_id)
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[7]) + TICKET_MEMORY_MS)
end
local line_key = prefix .. 'line:' .. t[3]
return {'WAITING', redis.call('ZRANK', line_key, ticket_id) + 1, redis.call('ZCARD', line_key),
        tonumber(redis.call('ZSCORE', expiry_key, ticket_id))}
