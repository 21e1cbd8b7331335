#!lua flags=allow-oom
-- heartbeat: extend a live session's lease.
--
-- KEYS[1] sg:{t}:session:{id}
-- ARGV[2] key prefix sg:{t}:   ARGV[3] session id   ARGV[4] token hash   ARGV[5] lease TTL ms
-- ARGV[6] tombstone ms
--
-- Replies
--   {'OK', leaseExpiresAt}
--   {'GONE', reason}     expired, superseded, revoked or logged_out: the client must log in again
--   {'EXPIRED'}          the lease had run out and this heartbeat ended the session (410 expired too)
--   {'UNKNOWN'}          never issued, forgotten, or the token's secret does not match
--
-- A lease that ran out is never revived, even if its seat is still free: the seat may have been counted
-- as free by a claim in between.

local reply = extend_lease(ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6]))
if next(freed) then -- it ended a lapsed lease: the seat goes to the line at once
  serve_freed(ARGV[2], now_ms(), tonumber(ARGV[6]))
end
return reply
