-- Writes a fact and its index entries in one atomic step (knowledge_base.put_fact).
-- Java reads the fact first and builds the new record (with meta); this script only checks that
-- nothing changed since that read ("STALE": Java reads again) and the caller's compare-and-set.
-- KEYS[1] facts hash (id -> record), KEYS[2] versions hash (id -> version), KEYS[3] revisions hash,
-- KEYS[4..] old term zsets, new term zsets, old tag sets, new tag sets (counts in ARGV[5..8])
-- ARGV[1] fact id, ARGV[2] expected version (0 = none), ARGV[3] version Java read (0 = absent),
-- ARGV[4] new record, ARGV[5..8] counts, ARGV[9..] the scores of the new terms, in key order
local current = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
local expected = tonumber(ARGV[2])
if expected > 0 and current ~= expected then
  if current == 0 then
    return {'ERR', 'ABORTED', 'fact ' .. ARGV[1] .. ' does not exist, expected version ' .. ARGV[2]}
  end
  return {'ERR', 'ABORTED', 'fact ' .. ARGV[1] .. ' is at version ' .. current .. ', expected ' .. ARGV[2]}
end
if current ~= tonumber(ARGV[3]) then
  return {'STALE'}
end
local oldTerms, newTerms = tonumber(ARGV[5]), tonumber(ARGV[6])
local oldTags, newTags = tonumber(ARGV[7]), tonumber(ARGV[8])
local k = 4
for i = 1, oldTerms do
  redis.call('ZREM', KEYS[k], ARGV[1]); k = k + 1
end
for i = 1, newTerms do
  redis.call('ZADD', KEYS[k], ARGV[8 + i], ARGV[1]); k = k + 1
end
for i = 1, oldTags do
  redis.call('SREM', KEYS[k], ARGV[1]); k = k + 1
end
for i = 1, newTags do
  redis.call('SADD', KEYS[k], ARGV[1]); k = k + 1
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[4])
redis.call('HSET', KEYS[2], ARGV[1], current + 1)
local rev = redis.call('HINCRBY', KEYS[3], ARGV[1], 1)
return {'OK', current + 1, rev}
