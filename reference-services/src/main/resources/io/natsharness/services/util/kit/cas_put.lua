-- Creates or replaces a record hash in one atomic step, with compare-and-set on its version.
-- KEYS[1] record hash (fields: body, version, created_ms, updated_ms, plus extra fields)
-- KEYS[2] revisions hash: one counter per record that never resets (event ids stay unique
--         across delete and re-create, when version starts again at 1)
-- KEYS[3] optional index sorted set (all scores 0, so members list in byte order)
-- ARGV[1] expected version, 0 = no check; ARGV[2] now (epoch ms); ARGV[3] body
-- ARGV[4] revision field; ARGV[5] what the record is, for messages
-- ARGV[6] "1" = when the body is unchanged, change nothing
-- ARGV[7] index member; ARGV[8] index limit (0 = none); ARGV[9] message when the limit is hit
-- ARGV[10..] extra field/value pairs stored with the record
-- Answers {"OK", version, created_ms, updated_ms, revision, changed (1/0), previous body or ""}
-- or {"ERR", code, message}.
local expected = tonumber(ARGV[1])
local current = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if expected > 0 and current ~= expected then
  if current == 0 then
    return {'ERR', 'ABORTED', ARGV[5] .. ' does not exist, expected version ' .. ARGV[1]}
  end
  return {'ERR', 'ABORTED', ARGV[5] .. ' is at version ' .. current .. ', expected ' .. ARGV[1]}
end
local previous = redis.call('HGET', KEYS[1], 'body') or ''
if current > 0 and ARGV[6] == '1' and previous == ARGV[3] then
  local kept = redis.call('HMGET', KEYS[1], 'created_ms', 'updated_ms')
  local rev = tonumber(redis.call('HGET', KEYS[2], ARGV[4]) or '0')
  return {'OK', current, kept[1], kept[2], rev, 0, previous}
end
if current == 0 and #KEYS >= 3 and tonumber(ARGV[8]) > 0 then
  if redis.call('ZSCORE', KEYS[3], ARGV[7]) == false and redis.call('ZCARD', KEYS[3]) >= tonumber(ARGV[8]) then
    return {'ERR', 'RESOURCE_EXHAUSTED', ARGV[9]}
  end
end
local created = ARGV[2]
if current > 0 then
  created = redis.call('HGET', KEYS[1], 'created_ms')
end
local version = current + 1
redis.call('HSET', KEYS[1], 'body', ARGV[3], 'version', version, 'created_ms', created, 'updated_ms', ARGV[2])
for i = 10, #ARGV, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
end
if #KEYS >= 3 then
  redis.call('ZADD', KEYS[3], 0, ARGV[7])
end
local rev = redis.call('HINCRBY', KEYS[2], ARGV[4], 1)
return {'OK', version, created, ARGV[2], rev, 1, previous}
