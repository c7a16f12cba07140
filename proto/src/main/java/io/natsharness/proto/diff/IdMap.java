package io.natsharness.proto.diff;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A one-to-one mapping between the primary's generated ids and the candidate's, learnt from the
 * fields that {@link DiffRules.Builder#withRemappedIds} names. Pass one map to every comparison
 * of a session so an id met in one answer is held to the same partner in later ones. Not thread
 * safe: one map per sequence of comparisons.
 *
 * <pre>{@code
 * IdMap ids = IdMap.create();
 * MessageDiff.compare(issue, primaryIssued, candidateIssued, rules, ids);   // learns tok-a <-> tok-x
 * MessageDiff.compare(revoke, primaryRevoked, candidateRevoked, rules, ids); // holds tok-a to tok-x
 * }</pre>
 */
public final class IdMap {

  /** Shorter ids are mapped but never substituted inside other strings (too likely to collide). */
  static final int MIN_SUBSTITUTED_LENGTH = 6;

  private final Map<String, String> forward;
  private final Map<String, String> backward;

  private IdMap(Map<String, String> forward, Map<String, String> backward) {
    this.forward = forward;
    this.backward = backward;
  }

  public static IdMap create() {
    return new IdMap(new HashMap<>(), new HashMap<>());
  }

  /** An independent copy (trial comparisons use one, so they learn nothing). */
  public IdMap copy() {
    return new IdMap(new HashMap<>(forward), new HashMap<>(backward));
  }

  /**
   * Records that {@code primaryId} corresponds to {@code candidateId}.
   *
   * @return false when either id is already mapped to another partner
   */
  public boolean bind(String primaryId, String candidateId) {
    String known = forward.get(primaryId);
    String knownBack = backward.get(candidateId);
    if (known == null && knownBack == null) {
      forward.put(primaryId, candidateId);
      backward.put(candidateId, primaryId);
      return true;
    }
    return candidateId.equals(known) && primaryId.equals(knownBack);
  }

  /** The candidate's id for a primary id, when known. */
  public Optional<String> candidateFor(String primaryId) {
    return Optional.ofNullable(forward.get(primaryId));
  }

  /** Every pair, sorted by primary id. */
  public Map<String, String> pairs() {
    return new TreeMap<>(forward);
  }

  /** {@code text} with every known primary id (longest first) replaced by its candidate id. */
  public String translate(String text) {
    if (forward.isEmpty() || text.isEmpty()) {
      return text;
    }
    String out = text;
    for (String id : forward.keySet().stream()
        .filter(id -> id.length() >= MIN_SUBSTITUTED_LENGTH && !id.equals(forward.get(id)))
        .sorted(Comparator.comparing(String::length).reversed().thenComparing(Comparator.naturalOrder()))
        .toList()) {
      if (out.contains(id)) {
        out = out.replace(id, forward.get(id));
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "IdMap" + pairs();
  }
}
