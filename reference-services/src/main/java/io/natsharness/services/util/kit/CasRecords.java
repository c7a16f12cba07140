package io.natsharness.services.util.kit;

import io.lettuce.core.api.StatefulRedisConnection;
import io.natsharness.proto.common.v1.RecordMeta;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Versioned records in Redis hashes, written and deleted by one Lua script each (atomic, with
 * compare-and-set on {@code version}), for the services whose records follow the common rule:
 * meta.version starts at 1, grows by one per write, and starts again at 1 after a delete.
 *
 * <p>Besides the version, each record has a revision that never resets (kept in a separate hash),
 * so an event id built from it is unique for every state change, even across delete and re-create.
 * An optional index (a sorted set with all scores 0) lists the records in byte order and can cap
 * their number.
 *
 * <pre>{@code
 * CasRecords records = new CasRecords(ctx.redis());
 * Written w = records.put(Write.of(key, revisionsKey, "glossary en->de", "en:de")
 *     .expect(request.getExpectedVersion()).body(Records.encode(glossary)).at(nowMs));
 * w.meta(); // RecordMeta with version, created_at, updated_at
 * }</pre>
 */
public final class CasRecords {

  private static final LuaScript PUT = LuaScript.resource(CasRecords.class, "cas_put.lua");
  private static final LuaScript DELETE = LuaScript.resource(CasRecords.class, "cas_delete.lua");

  private final StatefulRedisConnection<String, String> redis;

  public CasRecords(StatefulRedisConnection<String, String> redis) {
    this.redis = Objects.requireNonNull(redis, "redis");
  }

  /**
   * What a successful put did. {@code changed} is false only for an unchanged skipped body;
   * {@code previousBody} is the body before the put, empty when the record did not exist.
   */
  public record Written(long version, long createdMs, long updatedMs, long revision, boolean changed,
      String previousBody) {
    public RecordMeta meta() {
      return Records.meta(version, createdMs, updatedMs);
    }
  }

  /** What a successful delete removed: its last meta and body, and the new revision. */
  public record Deleted(long version, String body, long revision, RecordMeta meta) {}

  /**
   * Writes the record; ABORTED on a version mismatch, RESOURCE_EXHAUSTED when a new record would
   * pass the index limit.
   */
  public Written put(Write w) {
    List<String> keys = new ArrayList<>(List.of(w.recordKey, w.revisionsKey));
    if (w.indexKey != null) {
      keys.add(w.indexKey);
    }
    List<String> args = new ArrayList<>(List.of(Long.toString(w.expectedVersion), Long.toString(w.nowMs),
        Objects.requireNonNull(w.body, "body"), w.revisionField, w.what, w.skipUnchanged ? "1" : "0",
        w.indexMember == null ? "" : w.indexMember, Integer.toString(w.indexLimit), w.limitMessage));
    w.extra.forEach((field, value) -> {
      args.add(field);
      args.add(value);
    });
    ScriptReply r = PUT.run(redis.sync(), keys, args).ok();
    return new Written(r.longAt(1), r.longAt(2), r.longAt(3), r.longAt(4), r.longAt(5) == 1, r.stringAt(6));
  }

  /**
   * Deletes the record; NOT_FOUND when absent, ABORTED on a version mismatch.
   *
   * @param indexKey the index to remove {@code indexMember} from, or null
   */
  public Deleted delete(String recordKey, String revisionsKey, String revisionField, long expectedVersion,
      String what, String indexKey, String indexMember) {
    List<String> keys = new ArrayList<>(List.of(recordKey, revisionsKey));
    if (indexKey != null) {
      keys.add(indexKey);
    }
    ScriptReply r = DELETE.run(redis.sync(), keys, List.of(Long.toString(expectedVersion), revisionField,
        what, indexMember == null ? "" : indexMember)).ok();
    return new Deleted(r.longAt(1), r.stringAt(2), r.longAt(3),
        Records.meta(r.longAt(1), r.longAt(4), r.longAt(5)));
  }

  /** One put: the record, its revision, and the options of the write. */
  public static final class Write {
    private final String recordKey;
    private final String revisionsKey;
    private final String what;
    private final String revisionField;
    private long expectedVersion;
    private long nowMs;
    private String body;
    private boolean skipUnchanged;
    private String indexKey;
    private String indexMember;
    private int indexLimit;
    private String limitMessage = "";
    private final Map<String, String> extra = new LinkedHashMap<>();

    private Write(String recordKey, String revisionsKey, String what, String revisionField) {
      this.recordKey = Objects.requireNonNull(recordKey, "recordKey");
      this.revisionsKey = Objects.requireNonNull(revisionsKey, "revisionsKey");
      this.what = Objects.requireNonNull(what, "what");
      this.revisionField = Objects.requireNonNull(revisionField, "revisionField");
    }

    /**
     * @param what how messages name the record, e.g. {@code "slot autosave of player p-1"}
     * @param revisionField the record's field in the revisions hash
     */
    public static Write of(String recordKey, String revisionsKey, String what, String revisionField) {
      return new Write(recordKey, revisionsKey, what, revisionField);
    }

    /** Compare-and-set: 0 = unconditional. */
    public Write expect(long version) {
      this.expectedVersion = version;
      return this;
    }

    public Write body(String value) {
      this.body = value;
      return this;
    }

    public Write at(long epochMillis) {
      this.nowMs = epochMillis;
      return this;
    }

    /** Writing the body the record already has changes nothing (no new version, no revision). */
    public Write skipUnchanged() {
      this.skipUnchanged = true;
      return this;
    }

    /** Adds the record to an index; a new record beyond {@code limit} (0 = none) fails. */
    public Write index(String key, String member, int limit, String messageAtLimit) {
      this.indexKey = key;
      this.indexMember = member;
      this.indexLimit = limit;
      this.limitMessage = messageAtLimit;
      return this;
    }

    /** Another field stored with the record. */
    public Write extra(String field, String value) {
      extra.put(field, value);
      return this;
    }
  }
}
