#!lua flags=allow-oom
-- queue: a page of a tenant's waiting tickets, oldest first across its license types (GET /v1/tenants/{t}/queue).
--
-- KEYS[1] sg:{t}:tenant
-- ARGV[2] key prefix sg:{t}:   ARGV[3] the arrival (seq) of the last ticket on the page before, or 0
-- ARGV[4] page size   ARGV[5..] the catalog's license types
--
-- Replies {'OK', last seq on this page or '' after the last page, {agent, type, position, since, campaign}, ...}
--   | {'NO_TENANT'}
-- A full page is followed by one more, which may be empty.
-- A page costs one ranged read of limit entries per type; tickets whose pollBefore passed are not listed.

if redis.call('EXISTS', KEYS[1]) == 0 then return {'NO_TENANT'} end

local prefix, after, limit = ARGV[2], ARGV[3], tonumber(ARGV[4])
local now = now_ms()
local found = {}
for i = 5, #ARGV do
  local line_key = prefix .. 'line:' .. ARGV[i]
  local batch = redis.call('ZRANGEBYSCORE', line_key, '(' .. after, '+inf', 'WITHSCORES', 'LIMIT', 0, limit)
  for j = 1, #batch, 2 do
    found[#found + 1] = {id = batch[j], seq = tonumber(batch[j + 1]), type = ARGV[i], line = line_key}
  end
end
table.sort(found, function(a, b) return a.seq < b.seq end)

local reply = {'OK', ''}
for taken, ticket in ipairs(found) do
  if taken > limit then break end
  if taken == limit then reply[2] = tostring(ticket.seq) end -- there may be more: the next page starts after it
  local expiry = redis.call('ZSCORE', prefix .. 'line-expiry:' .. ticket.type, ticket.id)
  if expiry and tonumber(expiry) > now then
    local t = redis.call('HMGET', prefix .. 'ticket:' .. ticket.id, 'agent', 'since', 'campaign')
    reply[#reply + 1] = {t[1], ticket.type, redis.call('ZRANK', ticket.line, ticket.id) + 1, t[2], t[3] or ''}
  end
end
return reply
