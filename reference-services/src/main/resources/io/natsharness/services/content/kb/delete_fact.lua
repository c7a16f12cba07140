-- Deletes a fact and its index entries in one atomic step (knowledge_base.delete_fact), so a
-- deleted fact can never be found again. Same read-then-verify scheme as put_fact.lua.
-- KEYS[1] facts hash, KEYS[2] versions hash, KEYS[3] revisions hash,
-- KEYS[4..] the fact's term zsets, then its tag sets (counts in ARGV[4], ARGV[5])
-- ARGV[1] fact id, ARGV[2] expected version (0 = none), ARGV[3] version Java read
local current = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
if current == 0 then
  return {'ERR', 'NOT_FOUND', 'fact ' .. ARGV[1] .. ' does not exist'}
end
local expected = tonumber(ARGV[2])
if expected > 0 and current ~= expected then
  return {'ERR', 'ABORTED', 'fact ' .. ARGV[1] .. ' is at version ' .. current .. ', expected ' .. ARGV[2]}
end
if current ~= tonumber(ARGV[3]) then
  return {'STALE'}
end
local terms, tags = tonumber(ARGV[4]), tonumber(ARGV[5])
for k = 4, 3 + terms do
  redis.call('ZREM', KEYS[k], ARGV[1])
end
for k = 4 + terms, 3 + terms + tags do
  redis.call('SREM', KEYS[k], ARGV[1])
end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
local rev = redis.call('HINCRBY', KEYS[3], ARGV[1], 1)
return {'OK', current, rev}
