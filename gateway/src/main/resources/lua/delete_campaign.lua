#!lua flags=allow-oom
-- delete_campaign: a campaign's caps and reservations end; its live sessions keep their seats, no longer counted in
-- any campaign (one made again under that id counts from zero); its tickets in line leave as revoked at their turn.
--
-- KEYS[1] sg:{t}:tenant
-- ARGV[2] key prefix sg:{t}:   ARGV[3] campaign   ARGV[4] tombstone ms   ARGV[5..] the catalog's license types
-- Its tickets in line are no longer capped: every line of the tenant is served before the script returns.
--
-- Replies {'OK'} | {'NOT_FOUND'} | {'NO_TENANT'}

if redis.call('EXISTS', KEYS[1]) == 0 then return {'NO_TENANT'} end
local prefix, campaign, tombstone_ms = ARGV[2], ARGV[3], tonumber(ARGV[4])
if redis.call('HDEL', prefix .. 'campaigns', campaign) == 0 then return {'NOT_FOUND'} end
local now = now_ms()
for i = 5, #ARGV do
  redis.call('HDEL', prefix .. 'campaign-limits:' .. ARGV[i], campaign)
  redis.call('DEL', prefix .. 'cleases:' .. campaign .. ':' .. ARGV[i])
  serve_line(prefix, ARGV[i], now, tombstone_ms)
end
serve_freed(prefix, now, tombstone_ms)
return {'OK'}
