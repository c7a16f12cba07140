-- Deletes a record hash in one atomic step, with compare-and-set on its version.
-- KEYS[1] record hash; KEYS[2] revisions hash; KEYS[3] optional index sorted set
-- ARGV[1] expected version, 0 = no check; ARGV[2] revision field; ARGV[3] what the record is;
-- ARGV[4] index member
-- Answers {"OK", version, body, revision, created_ms, updated_ms} or {"ERR", code, message}.
local current = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if current == 0 then
  return {'ERR', 'NOT_FOUND', ARGV[3] .. ' does not exist'}
end
local expected = tonumber(ARGV[1])
if expected > 0 and current ~= expected then
  return {'ERR', 'ABORTED', ARGV[3] .. ' is at version ' .. current .. ', expected ' .. ARGV[1]}
end
local kept = redis.call('HMGET', KEYS[1], 'body', 'created_ms', 'updated_ms')
redis.call('DEL', KEYS[1])
if #KEYS >= 3 then
  redis.call('ZREM', KEYS[3], ARGV[4])
end
local rev = redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
return {'OK', current, kept[1], rev, kept[2], kept[3]}
