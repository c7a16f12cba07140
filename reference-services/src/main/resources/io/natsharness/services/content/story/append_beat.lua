-- Appends beat number n to an arc, only if the arc still has n - 1 beats and is open, so beats
-- are numbered without gaps or repeats even if the per-arc lock was lost; completes the arc at
-- max_beats; records the events in the outbox in the same step.
-- KEYS[1] arc hash, KEYS[2] beats list, KEYS[3] outbox hash
-- ARGV[1] arc id, ARGV[2] beats before (n - 1), ARGV[3] beat record, ARGV[4] now ms,
-- ARGV[5] "1" when this beat completes the arc, ARGV[6..] event id/outbox entry pairs
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'ERR', 'NOT_FOUND', 'arc ' .. ARGV[1] .. ' does not exist'}
end
if redis.call('HGET', KEYS[1], 'status') ~= 'OPEN' then
  return {'ERR', 'FAILED_PRECONDITION', 'arc ' .. ARGV[1] .. ' is completed', 'ARC_COMPLETED'}
end
if redis.call('LLEN', KEYS[2]) ~= tonumber(ARGV[2]) then
  return {'ERR', 'ABORTED', 'arc ' .. ARGV[1] .. ' changed while its next beat was written; try again'}
end
redis.call('RPUSH', KEYS[2], ARGV[3])
redis.call('HINCRBY', KEYS[1], 'version', 1)
redis.call('HSET', KEYS[1], 'updated_ms', ARGV[4])
if ARGV[5] == '1' then
  redis.call('HSET', KEYS[1], 'status', 'COMPLETED')
end
for i = 6, #ARGV, 2 do
  redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1])
end
return {'OK'}
