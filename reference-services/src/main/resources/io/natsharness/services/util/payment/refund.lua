-- payment.refund in one atomic step: the remainder check, the growth of the charge's refunded
-- sum, the credit, the REFUND ledger entry and the pending payment_settled event together, so the
-- refunds of a charge never sum to more than the charge, however many run at once.
-- KEYS[1] charge txn hash, KEYS[2] refund txn hash, KEYS[3] wallet hash, KEYS[4] ledger list,
-- KEYS[5] outbox hash
-- ARGV[1] refund txn id, ARGV[2] charge id, ARGV[3] wallet id, ARGV[4] amount ("" = remainder),
-- ARGV[5] currency ("" = not given), ARGV[6] reason, ARGV[7] now ms, ARGV[8] outbox entry
-- Answers {"OK", "NEW"|"REPEAT"} or {"ERR", code, message, reason-or-field}.
if redis.call('EXISTS', KEYS[2]) == 1 then
  local refunded = redis.call('HGET', KEYS[2], 'charge_id')
  if refunded ~= ARGV[2] then
    return {'ERR', 'INVALID_ARGUMENT', 'this Idempotency-Key was already used to refund charge '
      .. tostring(refunded) .. ' of the same wallet', 'Idempotency-Key'}
  end
  return {'OK', 'REPEAT'}
end
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'ERR', 'NOT_FOUND', 'transaction ' .. ARGV[2] .. ' does not exist'}
end
local charge = redis.call('HMGET', KEYS[1], 'kind', 'currency', 'amount', 'refunded')
if charge[1] ~= 'CHARGE' then
  return {'ERR', 'FAILED_PRECONDITION', 'transaction ' .. ARGV[2] .. ' is ' .. charge[1] .. ', not a CHARGE',
    'NOT_A_CHARGE'}
end
if ARGV[5] ~= '' and ARGV[5] ~= charge[2] then
  return {'ERR', 'INVALID_ARGUMENT', 'must be the currency of the charge, ' .. charge[2], 'amount.currency'}
end
local remainder = tonumber(charge[3]) - tonumber(charge[4])
local amount = remainder
if ARGV[4] ~= '' then
  amount = tonumber(ARGV[4])
end
if remainder == 0 then
  return {'ERR', 'FAILED_PRECONDITION', 'charge ' .. ARGV[2] .. ' is fully refunded', 'REFUND_EXCEEDS_CHARGE'}
end
if amount > remainder then
  return {'ERR', 'FAILED_PRECONDITION', 'refund of ' .. ARGV[4] .. ' exceeds the unrefunded '
    .. string.format('%d', remainder) .. ' ' .. charge[2] .. ' of charge ' .. ARGV[2], 'REFUND_EXCEEDS_CHARGE'}
end
local amountText = string.format('%d', amount)
redis.call('HINCRBY', KEYS[1], 'refunded', amountText)
local after = redis.call('HINCRBY', KEYS[3], 'bal:' .. charge[2], amountText)
local seq = redis.call('HINCRBY', KEYS[3], 'version', 1)
redis.call('HSET', KEYS[3], 'updated_ms', ARGV[7])
redis.call('HSET', KEYS[2], 'wallet', ARGV[3], 'kind', 'REFUND', 'currency', charge[2], 'amount', amountText,
  'balance_after', after, 'charge_id', ARGV[2], 'reason', ARGV[6], 'seq', seq, 'created_ms', ARGV[7])
redis.call('RPUSH', KEYS[4], ARGV[1])
redis.call('HSET', KEYS[5], ARGV[1], ARGV[8])
return {'OK', 'NEW'}
