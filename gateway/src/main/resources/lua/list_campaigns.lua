#!lua flags=allow-oom
-- list_campaigns: a tenant's campaigns, or one of them, with the live sessions of each per license type.
--
-- KEYS[1] sg:{t}:tenant
-- ARGV[2] key prefix sg:{t}:   ARGV[3] one campaign, or '' for all   ARGV[4..] the catalog's license types
--
-- Replies {'OK', {campaign, json, inUse of each type in catalog order}, ...} | {'NOT_FOUND'} | {'NO_TENANT'}

if redis.call('EXISTS', KEYS[1]) == 0 then return {'NO_TENANT'} end
local prefix = ARGV[2]
local now = now_ms()
local found
if ARGV[3] ~= '' then
  local json = redis.call('HGET', prefix .. 'campaigns', ARGV[3])
  if not json then return {'NOT_FOUND'} end
  found = {ARGV[3], json}
else
  found = redis.call('HGETALL', prefix .. 'campaigns')
end
local reply = {'OK'}
for i = 1, #found, 2 do
  local row = {found[i], found[i + 1]}
  for j = 4, #ARGV do row[#row + 1] = campaign_in_use(prefix, found[i], ARGV[j], now) end
  reply[#reply + 1] = row
end
return reply
