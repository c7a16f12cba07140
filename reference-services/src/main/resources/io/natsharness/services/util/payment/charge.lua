-- payment.charge in one atomic step, so 200 concurrent charges on one wallet can neither
-- overdraw it nor double-charge a key: the balance check, the debit, the CHARGE ledger entry and
-- the pending payment_settled event happen together. The transaction id is derived from the
-- Idempotency-Key, so a repeat finds the first transaction and moves nothing.
-- KEYS[1] wallet hash, KEYS[2] ledger list, KEYS[3] txn hash, KEYS[4] outbox hash
-- ARGV[1] txn id, ARGV[2] wallet id, ARGV[3] currency, ARGV[4] amount, ARGV[5] reason,
-- ARGV[6] reference kind, ARGV[7] reference id, ARGV[8] now ms, ARGV[9] outbox entry
-- Answers {"OK", "NEW"|"REPEAT"} or {"ERR", code, message, reason}.
if redis.call('EXISTS', KEYS[3]) == 1 then
  return {'OK', 'REPEAT'}
end
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'ERR', 'NOT_FOUND', 'wallet ' .. ARGV[2] .. ' does not exist'}
end
local field = 'bal:' .. ARGV[3]
local balance = tonumber(redis.call('HGET', KEYS[1], field) or '0')
if balance < tonumber(ARGV[4]) then
  return {'ERR', 'FAILED_PRECONDITION', 'wallet ' .. ARGV[2] .. ' holds ' .. string.format('%d', balance)
    .. ' ' .. ARGV[3] .. ', less than the charge of ' .. ARGV[4], 'INSUFFICIENT_FUNDS'}
end
local after = redis.call('HINCRBY', KEYS[1], field, '-' .. ARGV[4])
local seq = redis.call('HINCRBY', KEYS[1], 'version', 1)
redis.call('HSET', KEYS[1], 'updated_ms', ARGV[8])
redis.call('HSET', KEYS[3], 'wallet', ARGV[2], 'kind', 'CHARGE', 'currency', ARGV[3], 'amount', ARGV[4],
  'balance_after', after, 'refunded', 0, 'reason', ARGV[5], 'ref_kind', ARGV[6], 'ref_id', ARGV[7],
  'seq', seq, 'created_ms', ARGV[8])
redis.call('RPUSH', KEYS[2], ARGV[1])
redis.call('HSET', KEYS[4], ARGV[1], ARGV[9])
return {'OK', 'NEW'}
