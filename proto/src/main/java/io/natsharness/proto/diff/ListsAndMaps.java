package io.natsharness.proto.diff;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Lists and maps of a {@link Comparison}.
 *
 * <p>An ordered list of the same size is compared element by element; when that finds
 * differences but the elements are the same ones in another order, the list gets one ORDER
 * difference instead. A list of another size gets a SIZE difference, its common prefix is compared
 * element by element and the rest is MISSING or EXTRA. A list the rules call unordered is matched
 * as a multiset (or by key field): unmatched elements are MISSING or EXTRA. Map entries are
 * matched by key.
 */
final class ListsAndMaps {

  /** Above this many elements, reorderings are not searched for (quadratic). */
  static final int MAX_MATCHED_ELEMENTS = 256;

  private final Comparison owner;

  ListsAndMaps(Comparison owner) {
    this.owner = owner;
  }

  void lists(String path, List<String> rule, FieldDescriptor fd, List<?> p, List<?> c) {
    Optional<Optional<String>> unordered = owner.rules.unordered(rule);
    if (unordered.isPresent()) {
      sets(path, rule, fd, p, c, unordered.get());
      return;
    }
    if (p.size() == c.size()) {
      Comparison pairwise = owner.trial();
      List<Integer> differing = new ArrayList<>();
      for (int i = 0; i < p.size(); i++) {
        int before = pairwise.out.size();
        pairwise.value(FieldPath.index(path, i), rule, fd, p.get(i), c.get(i));
        if (pairwise.out.size() > before) {
          differing.add(i);
        }
      }
      if (differing.isEmpty()) {
        adoptIds(pairwise);
        return;
      }
      // Equal elements at the same index pair with themselves; a reordering needs the others to pair up.
      if (differing.size() > 1 && differing.size() <= MAX_MATCHED_ELEMENTS) {
        Matching matching = match(path, rule, fd, pick(p, differing), pick(c, differing));
        if (matching.unmatchedPrimary.isEmpty()) {
          // the ids of the pairs that stayed in place, then those of the moved ones
          Comparison inPlace = owner.trial();
          for (int i = 0; i < p.size(); i++) {
            if (!differing.contains(i)) {
              inPlace.value(FieldPath.index(path, i), rule, fd, p.get(i), c.get(i));
            }
          }
          adoptIds(inPlace);
          matching.ids.pairs().forEach(owner.ids::bind);
          owner.add(path, DifferenceKind.ORDER, Rendering.list(fd, p), Rendering.list(fd, c));
          return;
        }
      }
      adoptIds(pairwise);
      owner.out.addAll(pairwise.out);
      return;
    }
    owner.add(path, DifferenceKind.SIZE, String.valueOf(p.size()), String.valueOf(c.size()));
    int common = Math.min(p.size(), c.size());
    for (int i = 0; i < common; i++) {
      owner.value(FieldPath.index(path, i), rule, fd, p.get(i), c.get(i));
    }
    for (int i = common; i < p.size(); i++) {
      owner.add(FieldPath.index(path, i), DifferenceKind.MISSING, Rendering.value(fd, p.get(i)), Difference.ABSENT);
    }
    for (int i = common; i < c.size(); i++) {
      owner.add(FieldPath.index(path, i), DifferenceKind.EXTRA, Difference.ABSENT, Rendering.value(fd, c.get(i)));
    }
  }

  private void sets(String path, List<String> rule, FieldDescriptor fd, List<?> p, List<?> c, Optional<String> key) {
    if (p.size() != c.size()) {
      owner.add(path, DifferenceKind.SIZE, String.valueOf(p.size()), String.valueOf(c.size()));
    }
    Optional<FieldDescriptor> keyField = key.filter(k -> fd.getJavaType() == FieldDescriptor.JavaType.MESSAGE)
        .map(k -> fd.getMessageType().findFieldByName(k));
    Matching matching = keyField.isPresent() ? matchByKey(path, rule, fd, keyField.get(), p, c) : match(path, rule, fd, p, c);
    matching.ids.pairs().forEach(owner.ids::bind);
    for (int i : matching.unmatchedPrimary) {
      owner.add(FieldPath.index(path, i), DifferenceKind.MISSING, Rendering.value(fd, p.get(i)), Difference.ABSENT);
    }
    for (int j : matching.unmatchedCandidate) {
      owner.add(FieldPath.index(path, j), DifferenceKind.EXTRA, Difference.ABSENT, Rendering.value(fd, c.get(j)));
    }
  }

  /**
   * Pairs every primary element with an equal candidate element, first fit. The ids the pairs
   * bind are kept in the matching, for the caller to adopt if it uses the matching.
   */
  private Matching match(String path, List<String> rule, FieldDescriptor fd, List<?> p, List<?> c) {
    Matching m = new Matching(p.size(), c.size(), owner.ids.copy());
    for (int i = 0; i < p.size(); i++) {
      for (int j : List.copyOf(m.unmatchedCandidate)) {
        Comparison trial = new Comparison(owner.rules, m.ids.copy());
        trial.value(FieldPath.index(path, i), rule, fd, p.get(i), c.get(j));
        if (trial.out.isEmpty()) {
          trial.ids.pairs().forEach(m.ids::bind);
          m.pair(i, j);
          break;
        }
      }
    }
    return m;
  }

  /** Pairs elements with equal keys (the k-th of a key with the k-th) and compares each pair. */
  private Matching matchByKey(String path, List<String> rule, FieldDescriptor fd, FieldDescriptor key, List<?> p,
      List<?> c) {
    Matching m = new Matching(p.size(), c.size(), IdMap.create());
    Map<String, List<Integer>> byKey = new LinkedHashMap<>();
    for (int j = 0; j < c.size(); j++) {
      byKey.computeIfAbsent(keyOf(key, c.get(j)), k -> new ArrayList<>()).add(j);
    }
    for (int i = 0; i < p.size(); i++) {
      List<Integer> candidates = byKey.getOrDefault(keyOf(key, p.get(i)), List.of());
      if (!candidates.isEmpty()) {
        int j = candidates.remove(0);
        m.pair(i, j);
        owner.value(FieldPath.index(path, i), rule, fd, p.get(i), c.get(j));
      }
    }
    return m;
  }

  private String keyOf(FieldDescriptor key, Object element) {
    return Rendering.full(key, ((Message) element).getField(key));
  }

  void maps(String path, List<String> rule, FieldDescriptor fd, Message p, Message c) {
    FieldDescriptor valueField = fd.getMessageType().findFieldByName("value");
    Map<String, Object> pm = Comparison.entries(fd, p);
    Map<String, Object> cm = Comparison.entries(fd, c);
    for (String key : Comparison.union(pm.keySet(), cm.keySet())) {
      String entryPath = FieldPath.key(path, key);
      Object pv = pm.get(key);
      Object cv = cm.get(key);
      if (pv == null) {
        owner.add(entryPath, DifferenceKind.EXTRA, Difference.ABSENT, Rendering.value(valueField, cv));
      } else if (cv == null) {
        owner.add(entryPath, DifferenceKind.MISSING, Rendering.value(valueField, pv), Difference.ABSENT);
      } else {
        owner.value(entryPath, rule, valueField, pv, cv);
      }
    }
  }

  private static List<Object> pick(List<?> values, List<Integer> indices) {
    List<Object> out = new ArrayList<>(indices.size());
    indices.forEach(i -> out.add(values.get(i)));
    return out;
  }

  private void adoptIds(Comparison trial) {
    trial.ids.pairs().forEach(owner.ids::bind);
  }

  /** Which elements were paired. */
  private static final class Matching {
    final List<Integer> unmatchedPrimary = new ArrayList<>();
    final List<Integer> unmatchedCandidate = new ArrayList<>();
    final IdMap ids;

    Matching(int primary, int candidate, IdMap ids) {
      this.ids = ids;
      for (int i = 0; i < primary; i++) {
        unmatchedPrimary.add(i);
      }
      for (int j = 0; j < candidate; j++) {
        unmatchedCandidate.add(j);
      }
    }

    void pair(int i, int j) {
      unmatchedPrimary.remove(Integer.valueOf(i));
      unmatchedCandidate.remove(Integer.valueOf(j));
    }
  }
}
