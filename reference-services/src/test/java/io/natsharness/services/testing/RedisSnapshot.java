package io.natsharness.services.testing;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RestoreArgs;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every key under a prefix, dumped (value and TTL), to put the state back later: the HTTP and
 * NATS answers of a mutating request are compared from the same state.
 */
public final class RedisSnapshot {

  private record Entry(byte[] dump, long pttl) {}

  private final Map<String, Entry> entries;

  private RedisSnapshot(Map<String, Entry> entries) {
    this.entries = entries;
  }

  public static RedisSnapshot take(StatefulRedisConnection<byte[], byte[]> redis, String prefix) {
    RedisCommands<byte[], byte[]> sync = redis.sync();
    Map<String, Entry> entries = new LinkedHashMap<>();
    for (byte[] key : keys(sync, prefix)) {
      byte[] dump = sync.dump(key);
      if (dump != null) {
        entries.put(new String(key, StandardCharsets.UTF_8), new Entry(dump, sync.pttl(key)));
      }
    }
    return new RedisSnapshot(entries);
  }

  /** Deletes every key under the prefix, then restores the snapshot. */
  public void restore(StatefulRedisConnection<byte[], byte[]> redis, String prefix) {
    RedisCommands<byte[], byte[]> sync = redis.sync();
    List<byte[]> current = keys(sync, prefix);
    if (!current.isEmpty()) {
      sync.del(current.toArray(new byte[0][]));
    }
    entries.forEach((key, entry) -> sync.restore(key.getBytes(StandardCharsets.UTF_8), entry.dump(),
        RestoreArgs.Builder.ttl(entry.pttl() > 0 ? entry.pttl() : 0).replace()));
  }

  public int size() {
    return entries.size();
  }

  private static List<byte[]> keys(RedisCommands<byte[], byte[]> sync, String prefix) {
    List<byte[]> keys = new ArrayList<>();
    ScanCursor cursor = ScanCursor.INITIAL;
    ScanArgs match = ScanArgs.Builder.matches(prefix + "*").limit(500);
    do {
      KeyScanCursor<byte[]> page = sync.scan(cursor, match);
      keys.addAll(page.getKeys());
      cursor = page;
    } while (!cursor.isFinished());
    return keys;
  }

  /** A binary connection for dumps. */
  public static StatefulRedisConnection<byte[], byte[]> connect(io.lettuce.core.RedisClient client) {
    return client.connect(ByteArrayCodec.INSTANCE);
  }
}
