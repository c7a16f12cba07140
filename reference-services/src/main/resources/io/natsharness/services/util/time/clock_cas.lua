-- Replaces a world clock's fields if nobody changed the clock since it was read (its "rev"), and
-- records the events of that change in the outbox in the same step.
-- KEYS[1] clock hash, KEYS[2] outbox hash
-- ARGV[1] rev read (0 = the clock must not exist yet), ARGV[2] number of field/value pairs,
-- ARGV[3..] field/value pairs, then event id/outbox entry pairs
-- Answers {"OK", new rev} or {"STALE"}.
local rev = tonumber(redis.call('HGET', KEYS[1], 'rev') or '0')
if rev ~= tonumber(ARGV[1]) then
  return {'STALE'}
end
local n = tonumber(ARGV[2])
for i = 3, 2 + 2 * n, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
end
for i = 3 + 2 * n, #ARGV, 2 do
  redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
end
redis.call('HSET', KEYS[1], 'rev', rev + 1)
return {'OK', rev + 1}
