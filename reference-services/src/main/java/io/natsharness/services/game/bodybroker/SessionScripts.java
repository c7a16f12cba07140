package io.natsharness.services.game.bodybroker;

import io.natsharness.services.game.kit.Lua;

/**
 * The Lua scripts of body_broker_integration. Every script takes ARGV[1] = the key prefix of the
 * service ({@code <prefix>body_broker_integration:}), ARGV[2] = now (epoch ms), ARGV[3] = the idle
 * limit (ms) and ARGV[4] = the session id, then its own arguments; keys are built inside from the
 * prefix (the shared connection is a standalone Redis one, so cross-slot keys are fine).
 *
 * <p>Keys: {@code session:<sid>} (hash), {@code snapshot:<sid>}, {@code cmds:<sid>} (sorted set,
 * score = sequence, member = {@code "<seq>|<base64 Command>"}), {@code pair:<hash>} (count of
 * sessions opened for a (player, client) and the current one), {@code player:<id>} and
 * {@code region:<region>} (sets of OPEN sessions), {@code open} (OPEN sessions by last activity),
 * {@code seen:<sid>:<event id>} (events already turned into a command) and {@code signal} (grows
 * on every queued command and every close; it wakes pull_commands streams).
 */
final class SessionScripts {

  /** Replies of the scripts that mean "no such open session" and "it was idle too long". */
  static final long NOT_OPEN = -2;
  static final long EXPIRED = -3;

  private static final String COMMON = String.join("\n",
      "local prefix, now, idle, sid = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]",
      "local sk = prefix .. 'session:' .. sid",
      "local function close_session(id, reason)",
      "  local k = prefix .. 'session:' .. id",
      "  local h = redis.call('HMGET', k, 'state', 'player', 'pair', 'region')",
      "  if h[1] ~= 'OPEN' then return false end",
      "  redis.call('HSET', k, 'state', 'CLOSED', 'reason', reason, 'closed', now, 'updated', now)",
      "  redis.call('HINCRBY', k, 'version', 1)",
      "  redis.call('DEL', prefix .. 'cmds:' .. id)",
      "  redis.call('SREM', prefix .. 'player:' .. h[2], id)",
      "  if h[4] and h[4] ~= '' then redis.call('SREM', prefix .. 'region:' .. h[4], id) end",
      "  redis.call('ZREM', prefix .. 'open', id)",
      "  local pk = prefix .. 'pair:' .. h[3]",
      "  if redis.call('HGET', pk, 'current') == id then redis.call('HDEL', pk, 'current') end",
      "  redis.call('EXPIRE', k, 86400)",
      "  redis.call('EXPIRE', prefix .. 'snapshot:' .. id, 86400)",
      "  redis.call('INCR', prefix .. 'signal')",
      "  return true",
      "end",
      "local function expire_if_idle(id)",
      "  local a = tonumber(redis.call('HGET', prefix .. 'session:' .. id, 'activity') or '0')",
      "  if a + idle <= now then return close_session(id, 'EXPIRED') end",
      "  return false",
      "end",
      "local function touch()",
      "  redis.call('HSET', sk, 'activity', now)",
      "  redis.call('ZADD', prefix .. 'open', now, sid)",
      "end",
      // Shared guard of the calls on one session: NOT_OPEN, or EXPIRED after closing it.
      "local function guard()",
      "  if redis.call('HGET', sk, 'state') ~= 'OPEN' then return -2 end",
      "  if expire_if_idle(sid) then return -3 end",
      "  return 0",
      "end",
      "");

  /** ARGV[5] pair id, [6] expected count, [7] body, [8] player: {count, closed sid, reason}. */
  static final Lua OPEN = Lua.of(COMMON + String.join("\n",
      "local pk = prefix .. 'pair:' .. ARGV[5]",
      "local n = tonumber(redis.call('HGET', pk, 'count') or '0')",
      "if n ~= tonumber(ARGV[6]) then return {-1, n} end",
      "local closed, reason = '', ''",
      "local old = redis.call('HGET', pk, 'current')",
      "if old then",
      "  if expire_if_idle(old) then closed, reason = old, 'EXPIRED'",
      "  elseif close_session(old, 'REPLACED') then closed, reason = old, 'REPLACED' end",
      "end",
      "redis.call('HSET', pk, 'count', n + 1, 'current', sid)",
      "redis.call('HSET', sk, 'body', ARGV[7], 'player', ARGV[8], 'pair', ARGV[5], 'state', 'OPEN',",
      "  'reason', '', 'closed', 0, 'lss', 0, 'lcs', 0, 'version', 1, 'updated', now, 'region', '')",
      "redis.call('SADD', prefix .. 'player:' .. ARGV[8], sid)",
      "touch()",
      "return {n, closed, reason}"));

  /** ARGV[5] sequence, [6] snapshot, [7] region: {sequence, pending} or {-1, last} when stale. */
  static final Lua PUSH = Lua.of(COMMON + String.join("\n",
      "local g = guard()",
      "if g ~= 0 then return {g} end",
      "local last = tonumber(redis.call('HGET', sk, 'lss'))",
      "local seq = tonumber(ARGV[5])",
      "if seq <= last then return {-1, last} end",
      "redis.call('SET', prefix .. 'snapshot:' .. sid, ARGV[6])",
      "local old = redis.call('HGET', sk, 'region')",
      "if old ~= ARGV[7] then",
      "  if old ~= '' then redis.call('SREM', prefix .. 'region:' .. old, sid) end",
      "  if ARGV[7] ~= '' then redis.call('SADD', prefix .. 'region:' .. ARGV[7], sid) end",
      "end",
      "redis.call('HSET', sk, 'lss', seq, 'region', ARGV[7], 'updated', now)",
      "redis.call('HINCRBY', sk, 'version', 1)",
      "touch()",
      "return {seq, redis.call('ZCARD', prefix .. 'cmds:' .. sid)}"));

  /** ARGV[5] after_sequence: {last queued} or {-4, last queued} when after_sequence is beyond it. */
  static final Lua ACK = Lua.of(COMMON + String.join("\n",
      "local g = guard()",
      "if g ~= 0 then return {g} end",
      "local lcs = tonumber(redis.call('HGET', sk, 'lcs'))",
      "local after = tonumber(ARGV[5])",
      "if after > lcs then return {-4, lcs} end",
      "if after > 0 then redis.call('ZREMRANGEBYSCORE', prefix .. 'cmds:' .. sid, '-inf', after) end",
      "touch()",
      "return {lcs}"));

  /**
   * ARGV[5] after, [6] limit: {state, members...}; an open stream counts as activity, so reading
   * refreshes it.
   */
  static final Lua READ = Lua.of(COMMON + String.join("\n",
      "local state = redis.call('HGET', sk, 'state')",
      "if state ~= 'OPEN' then return {state or 'NONE'} end",
      "touch()",
      "local out = {'OPEN'}",
      "local rows = redis.call('ZRANGEBYSCORE', prefix .. 'cmds:' .. sid, '(' .. ARGV[5], '+inf', 'LIMIT', 0, ARGV[6])",
      "for _, r in ipairs(rows) do out[#out + 1] = r end",
      "return out"));

  /** No extra arguments: {1} when closed now. */
  static final Lua CLOSE = Lua.of(COMMON + String.join("\n",
      "local g = guard()",
      "if g ~= 0 then return {g} end",
      "close_session(sid, 'CLIENT_CLOSED')",
      "return {1}"));

  /**
   * ARGV[5] event id, [6] command (base64), [7] max pending, [8] dedupe TTL (s): the command's
   * sequence, or 0 when the session is not open or already got this event.
   */
  static final Lua ENQUEUE = Lua.of(COMMON + String.join("\n",
      "if redis.call('HGET', sk, 'state') ~= 'OPEN' then return {0} end",
      "if not redis.call('SET', prefix .. 'seen:' .. sid .. ':' .. ARGV[5], '1', 'NX', 'EX', ARGV[8]) then",
      "  return {0}",
      "end",
      "local seq = redis.call('HINCRBY', sk, 'lcs', 1)",
      "local ck = prefix .. 'cmds:' .. sid",
      "redis.call('ZADD', ck, seq, seq .. '|' .. ARGV[6])",
      "local over = redis.call('ZCARD', ck) - tonumber(ARGV[7])",
      "if over > 0 then redis.call('ZREMRANGEBYRANK', ck, 0, over - 1) end",
      "redis.call('HSET', sk, 'updated', now)",
      "redis.call('HINCRBY', sk, 'version', 1)",
      "redis.call('INCR', prefix .. 'signal')",
      "return {seq}"));

  /** ARGV[4] unused, [5] limit: the sessions closed as EXPIRED now. */
  static final Lua SWEEP = Lua.of(COMMON + String.join("\n",
      "local ids = redis.call('ZRANGEBYSCORE', prefix .. 'open', '-inf', now - idle, 'LIMIT', 0, ARGV[5])",
      "local closed = {}",
      "for _, id in ipairs(ids) do",
      "  if close_session(id, 'EXPIRED') then closed[#closed + 1] = id end",
      "end",
      "return closed"));

  private SessionScripts() {}
}
