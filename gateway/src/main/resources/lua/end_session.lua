#!lua flags=allow-oom
-- end_session: free a session's seat at once, for a logout (with the session's token) or an admin's
-- revocation (without one).
--
-- KEYS[1] sg:{t}:session:{id}
-- ARGV[2] key prefix sg:{t}:   ARGV[3] session id   ARGV[4] token hash, or '' to skip the check
-- ARGV[5] reason: logged_out or revoked   ARGV[6] tombstone ms   ARGV[7..] the catalog's license types
--
-- Replies
--   {'OK'}               the session held its seat and now does not
--   {'GONE', reason}     it had already ended
--   {'EXPIRED'}          its lease had run out: ended now, as expired
--   {'UNKNOWN'}          never issued, forgotten, or the token's secret does not match

local prefix, session_id, tombstone_ms = ARGV[2], ARGV[3], tonumber(ARGV[6])

-- One read of the record: what close_session needs (session_fields), then the token and the reason it ended.
local s = redis.call('HMGET', KEYS[1], 'agent', 'type', 'state', 'holder', 'campaign', 'token', 'reason')
if not s[1] then
  -- Its record expired (or never was): should a lease of it remain, in whichever type, it goes too.
  for i = 7, #ARGV do redis.call('ZREM', prefix .. 'leases:' .. ARGV[i], session_id) end
  return {'UNKNOWN'}
end
if ARGV[4] ~= '' and s[6] ~= ARGV[4] then return {'UNKNOWN'} end
if s[3] == 'ended' then return {'GONE', s[7]} end

local now = now_ms()
local expires = redis.call('ZSCORE', prefix .. 'leases:' .. s[2], session_id)
local live = expires and tonumber(expires) > now
close_session(prefix, session_id, s, live and ARGV[5] or 'expired', now, tombstone_ms, false)
serve_freed(prefix, now, tombstone_ms) -- the seat goes to the first in line, if anyone waits
return live and {'OK'} or {'EXPIRED'}
