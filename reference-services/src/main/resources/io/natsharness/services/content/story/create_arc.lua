-- Creates an arc unless the player already has one with this title (the arc id is derived from
-- player and title), and records arc_started in the outbox in the same step.
-- KEYS[1] arc hash, KEYS[2] outbox hash
-- ARGV[1] arc_started event id, ARGV[2] body, ARGV[3] now ms, ARGV[4] outbox entry, ARGV[5] title,
-- ARGV[6] player
if redis.call('EXISTS', KEYS[1]) == 1 then
  return {'ERR', 'ALREADY_EXISTS', 'player ' .. ARGV[6] .. ' already has an arc titled "' .. ARGV[5] .. '"'}
end
redis.call('HSET', KEYS[1], 'body', ARGV[2], 'status', 'OPEN', 'version', 1, 'created_ms', ARGV[3],
  'updated_ms', ARGV[3])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[4])
return {'OK'}
