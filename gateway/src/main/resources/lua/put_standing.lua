#!lua flags=allow-oom
-- put_standing: an admin sets a tenant's account standing (PUT /v1/tenants/{t}/standing; standing.lua has the rule).
--
-- KEYS[1] sg:{t}:tenant
-- ARGV[2] key prefix sg:{t}:   ARGV[3] status: active, past_due or suspended
-- ARGV[4] '1' with a note (ARGV[5]), '0' without   ARGV[6] suspendAt ms, or '' (only with past_due)
-- ARGV[7] suspendAt as the API writes it (ISO-8601), or ''   ARGV[8] tombstone ms   ARGV[9..] the catalog's types
--
-- Replies
--   {'OK', sessions ended, status, since, suspendAt or -1, note or nil}   the standing now
--   {'NO_TENANT'}
--
-- A change of status, note or suspendAt is one standing_changed billing event; `since` moves only with the status.
-- A suspension due before this call happens first (with its own event), so the ledger says what happened in order;
-- a suspendAt that has passed already suspends at once, since that instant. While the tenant is suspended, every
-- session ends and every ticket leaves the line in this same step.

if redis.call('EXISTS', KEYS[1]) == 0 then return {'NO_TENANT'} end
local prefix, status, tombstone_ms = ARGV[2], ARGV[3], tonumber(ARGV[8])
local note = ARGV[4] == '1' and ARGV[5] or nil
local suspend_at = ARGV[6] ~= '' and tonumber(ARGV[6]) or nil
local types = {}
for i = 9, #ARGV do types[#types + 1] = ARGV[i] end
local now = now_ms()

-- The very standing asked for already, a due suspendAt applied or not (a retried PUT): no change, no event.
local key = prefix .. 'standing'
local stored = redis.call('HMGET', key, 'status', 'since', 'suspendAt', 'note')
local same_note = (stored[4] or nil) == note
local asked_before = (stored[1] == status and tonumber(stored[3] or '') == suspend_at and same_note)
  or (status == 'past_due' and suspend_at and suspend_at <= now and stored[1] == 'suspended'
      and tonumber(stored[2]) == suspend_at and same_note)
local ended = apply_due_suspension(prefix, now, tombstone_ms, types)
if asked_before then return {'OK', ended, standing_reply(prefix, now)} end
local was, since, was_suspend_at, was_note = standing_at(prefix, now)
if was ~= status or was_note ~= note or was_suspend_at ~= suspend_at then
  if was ~= status then since = now end
  redis.call('HSET', key, 'status', status, 'since', since)
  if note then redis.call('HSET', key, 'note', note) else redis.call('HDEL', key, 'note') end
  if suspend_at then redis.call('HSET', key, 'suspendAt', suspend_at) else redis.call('HDEL', key, 'suspendAt') end
  record_standing(prefix, now, status, note, suspend_at and ARGV[7] or nil, false)
  ended = ended + apply_due_suspension(prefix, now, tombstone_ms, types)
end
if status == 'suspended' then -- also when it was already: a session a moment's race let in ends too
  ended = ended + suspend_everything(prefix, now, tombstone_ms, types)
end
return {'OK', ended, standing_reply(prefix, now)}
