-- payment.create_wallet in one atomic step: the wallet, one OPENING ledger entry per initial
-- balance, and the pending wallet_created event in the outbox.
-- KEYS[1] wallet hash, KEYS[2] ledger list, KEYS[3] outbox hash, KEYS[4..] OPENING txn hashes
-- ARGV[1] wallet id, ARGV[2] owner id, ARGV[3] now ms, ARGV[4] outbox entry,
-- ARGV[5..] per opening: txn id, currency, amount (same order as KEYS[4..])
if redis.call('EXISTS', KEYS[1]) == 1 then
  return {'ERR', 'ALREADY_EXISTS', 'owner ' .. ARGV[2] .. ' already has wallet ' .. ARGV[1]}
end
local n = #KEYS - 3
redis.call('HSET', KEYS[1], 'owner', ARGV[2], 'created_ms', ARGV[3], 'updated_ms', ARGV[3], 'version', n)
for i = 1, n do
  local txn, currency, amount = ARGV[2 + 3 * i], ARGV[3 + 3 * i], ARGV[4 + 3 * i]
  redis.call('HSET', KEYS[1], 'bal:' .. currency, amount)
  redis.call('HSET', KEYS[3 + i], 'wallet', ARGV[1], 'kind', 'OPENING', 'currency', currency,
    'amount', amount, 'balance_after', amount, 'seq', i, 'created_ms', ARGV[3])
  redis.call('RPUSH', KEYS[2], txn)
end
redis.call('HSET', KEYS[3], ARGV[1], ARGV[4])
return {'OK'}
