package io.natsharness.proto.diff;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One walk over two messages of the same type, in descriptor order (fields as declared, list
 * elements by index, map entries by key), collecting {@link Difference}s. Lists and maps are in
 * {@link ListsAndMaps}; this class holds the messages and single values.
 */
final class Comparison {

  private static final Set<String> WRAPPERS = Set.of(
      "google.protobuf.DoubleValue", "google.protobuf.FloatValue", "google.protobuf.Int64Value",
      "google.protobuf.UInt64Value", "google.protobuf.Int32Value", "google.protobuf.UInt32Value",
      "google.protobuf.BoolValue", "google.protobuf.StringValue", "google.protobuf.BytesValue");
  private static final String TIMESTAMP = "google.protobuf.Timestamp";
  private static final String DURATION = "google.protobuf.Duration";
  private static final String ANY = "google.protobuf.Any";

  final DiffRules rules;
  final IdMap ids;
  final List<Difference> out = new ArrayList<>();
  private final ListsAndMaps collections = new ListsAndMaps(this);

  Comparison(DiffRules rules, IdMap ids) {
    this.rules = rules;
    this.ids = ids;
  }

  /** A comparison with the same rules and a copy of the ids, whose results are only looked at. */
  Comparison trial() {
    return new Comparison(rules, ids.copy());
  }

  void add(String path, DifferenceKind kind, String primary, String candidate) {
    out.add(new Difference(path, kind, primary, candidate));
  }

  /** Compares two messages; {@code rule} is the path's field names, for matching rules. */
  void messages(String path, List<String> rule, Message p, Message c) {
    Descriptor type = p.getDescriptorForType();
    if (!type.getFullName().equals(c.getDescriptorForType().getFullName())) {
      add(path, DifferenceKind.TYPE, Rendering.quote(type.getFullName()),
          Rendering.quote(c.getDescriptorForType().getFullName()));
      return;
    }
    String name = type.getFullName();
    if (name.equals(TIMESTAMP) || name.equals(DURATION)) {
      temporal(path, rule, p, c, name.equals(TIMESTAMP));
      return;
    }
    if (WRAPPERS.contains(name)) {
      FieldDescriptor value = type.findFieldByName("value");
      value(path, rule, value, p.getField(value), c.getField(value));
      return;
    }
    if (name.equals(ANY)) {
      any(path, rule, p, c);
      return;
    }
    Set<FieldDescriptor> handled = new HashSet<>();
    for (OneofDescriptor oneof : type.getRealOneofs()) {
      handled.addAll(oneof.getFields());
      oneof(path, rule, oneof, p, c);
    }
    for (FieldDescriptor fd : type.getFields()) {
      if (!handled.contains(fd)) {
        field(path, rule, fd, p, c);
      }
    }
  }

  private void oneof(String path, List<String> rule, OneofDescriptor oneof, Message p, Message c) {
    FieldDescriptor pf = p.getOneofFieldDescriptor(oneof);
    FieldDescriptor cf = c.getOneofFieldDescriptor(oneof);
    if (pf == null && cf == null) {
      return;
    }
    if (pf != null && pf.equals(cf)) {
      field(path, rule, pf, p, c);
      return;
    }
    if (pf == null || cf == null) {
      FieldDescriptor set = pf == null ? cf : pf;
      List<String> setRule = child(rule, set.getName());
      if (!rules.ignores(setRule)) {
        String rendered = Rendering.value(set, (pf == null ? c : p).getField(set));
        add(FieldPath.child(path, set.getName()), pf == null ? DifferenceKind.EXTRA : DifferenceKind.MISSING,
            pf == null ? Difference.ABSENT : rendered, pf == null ? rendered : Difference.ABSENT);
      }
      return;
    }
    if (!rules.ignores(child(rule, oneof.getName()))) {
      add(FieldPath.child(path, oneof.getName()), DifferenceKind.TYPE,
          Rendering.shorten(pf.getName() + ": " + Rendering.full(pf, p.getField(pf))),
          Rendering.shorten(cf.getName() + ": " + Rendering.full(cf, c.getField(cf))));
    }
  }

  private void field(String path, List<String> rule, FieldDescriptor fd, Message p, Message c) {
    String fieldPath = FieldPath.child(path, fd.getName());
    List<String> fieldRule = child(rule, fd.getName());
    if (rules.ignores(fieldRule)) {
      return;
    }
    if (fd.isMapField()) {
      collections.maps(fieldPath, fieldRule, fd, p, c);
    } else if (fd.isRepeated()) {
      collections.lists(fieldPath, fieldRule, fd, (List<?>) p.getField(fd), (List<?>) c.getField(fd));
    } else if (fd.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
      boolean ph = present(p, fd);
      boolean ch = present(c, fd);
      if (ph && ch) {
        messages(fieldPath, fieldRule, (Message) p.getField(fd), (Message) c.getField(fd));
      } else if (ph || ch) {
        presence(fieldPath, fd, ph, (ph ? p : c).getField(fd));
      }
    } else if (fd.hasPresence()) {
      boolean ph = p.hasField(fd);
      boolean ch = c.hasField(fd);
      if (ph && ch) {
        value(fieldPath, fieldRule, fd, p.getField(fd), c.getField(fd));
      } else if (ph || ch) {
        presence(fieldPath, fd, ph, (ph ? p : c).getField(fd));
      }
    } else {
      value(fieldPath, fieldRule, fd, p.getField(fd), c.getField(fd));
    }
  }

  private void presence(String path, FieldDescriptor fd, boolean primaryHasIt, Object value) {
    String rendered = Rendering.value(fd, value);
    if (primaryHasIt) {
      add(path, DifferenceKind.MISSING, rendered, Difference.ABSENT);
    } else {
      add(path, DifferenceKind.EXTRA, Difference.ABSENT, rendered);
    }
  }

  /** An unset message field and one set to its empty value look the same in JSON: both absent. */
  private static boolean present(Message m, FieldDescriptor fd) {
    return m.hasField(fd) && ((Message) m.getField(fd)).getSerializedSize() > 0;
  }

  /** Compares one value of {@code fd}: a singular field, a list element or a map value. */
  void value(String path, List<String> rule, FieldDescriptor fd, Object p, Object c) {
    switch (fd.getJavaType()) {
      case MESSAGE -> messages(path, rule, (Message) p, (Message) c);
      case STRING -> string(path, rule, (String) p, (String) c);
      case BYTE_STRING -> {
        ByteString pb = (ByteString) p;
        ByteString cb = (ByteString) c;
        if (!pb.equals(cb)) {
          add(path, pb.isEmpty() ? DifferenceKind.EXTRA : cb.isEmpty() ? DifferenceKind.MISSING : DifferenceKind.VALUE,
              pb.isEmpty() ? Difference.ABSENT : Rendering.value(fd, pb),
              cb.isEmpty() ? Difference.ABSENT : Rendering.value(fd, cb));
        }
      }
      case ENUM -> {
        if (((EnumValueDescriptor) p).getNumber() != ((EnumValueDescriptor) c).getNumber()) {
          add(path, DifferenceKind.VALUE, Rendering.value(fd, p), Rendering.value(fd, c));
        }
      }
      case BOOLEAN -> {
        if (!p.equals(c)) {
          add(path, DifferenceKind.VALUE, Rendering.value(fd, p), Rendering.value(fd, c));
        }
      }
      default -> number(path, rule, fd, p, c);
    }
  }

  private void string(String path, List<String> rule, String p, String c) {
    if (rules.isId(rule) && !p.isEmpty() && !c.isEmpty()) {
      if (!ids.bind(p, c)) {
        add(path, DifferenceKind.VALUE, Rendering.quote(p), Rendering.shorten(Rendering.quote(c)
            + ids.candidateFor(p).map(known -> " (" + Rendering.quote(p) + " was " + Rendering.quote(known) + " before)")
            .orElse(" (already the partner of another id)")));
      }
      return;
    }
    if (ids.translate(p).equals(c)) {
      return;
    }
    add(path, p.isEmpty() ? DifferenceKind.EXTRA : c.isEmpty() ? DifferenceKind.MISSING : DifferenceKind.VALUE,
        p.isEmpty() ? Difference.ABSENT : Rendering.shorten(Rendering.quote(p)),
        c.isEmpty() ? Difference.ABSENT : Rendering.shorten(Rendering.quote(c)));
  }

  private void number(String path, List<String> rule, FieldDescriptor fd, Object p, Object c) {
    if (p.equals(c)) {
      return;
    }
    Optional<DiffRules.NumericTolerance> tolerance = rules.numericTolerance(rule);
    if (tolerance.isPresent() && tolerance.get().accepts(asDouble(fd, p), asDouble(fd, c))) {
      return;
    }
    if ((fd.getJavaType() == FieldDescriptor.JavaType.DOUBLE || fd.getJavaType() == FieldDescriptor.JavaType.FLOAT)
        && Double.isNaN(((Number) p).doubleValue()) && Double.isNaN(((Number) c).doubleValue())) {
      return;
    }
    add(path, DifferenceKind.VALUE, Rendering.value(fd, p), Rendering.value(fd, c));
  }

  private static double asDouble(FieldDescriptor fd, Object v) {
    if (Rendering.isUnsigned(fd) && v instanceof Long l) {
      return Double.parseDouble(Long.toUnsignedString(l));
    }
    if (Rendering.isUnsigned(fd) && v instanceof Integer i) {
      return Integer.toUnsignedLong(i);
    }
    return ((Number) v).doubleValue();
  }

  private void temporal(String path, List<String> rule, Message p, Message c, boolean timestamp) {
    Descriptor type = p.getDescriptorForType();
    long ps = (Long) p.getField(type.findFieldByName("seconds"));
    long cs = (Long) c.getField(type.findFieldByName("seconds"));
    int pn = (Integer) p.getField(type.findFieldByName("nanos"));
    int cn = (Integer) c.getField(type.findFieldByName("nanos"));
    if (ps == cs && pn == cn) {
      return;
    }
    Optional<Duration> tolerance = rules.timestampTolerance(rule);
    if (tolerance.isPresent()) {
      double apart = Math.abs((double) (ps - cs) + (pn - cn) / 1e9);
      if (apart <= tolerance.get().getSeconds() + tolerance.get().getNano() / 1e9) {
        return;
      }
    }
    add(path, DifferenceKind.VALUE, temporalText(ps, pn, timestamp), temporalText(cs, cn, timestamp));
  }

  private static String temporalText(long seconds, int nanos, boolean timestamp) {
    try {
      return Rendering.quote(timestamp
          ? Timestamps.toString(com.google.protobuf.Timestamp.newBuilder().setSeconds(seconds).setNanos(nanos).build())
          : Durations.toString(com.google.protobuf.Duration.newBuilder().setSeconds(seconds).setNanos(nanos).build()));
    } catch (IllegalArgumentException outOfRange) {
      return "{\"seconds\":" + seconds + ",\"nanos\":" + nanos + "}";
    }
  }

  private void any(String path, List<String> rule, Message p, Message c) {
    Any pa = p instanceof Any a ? a : Any.newBuilder().mergeFrom(p).build();
    Any ca = c instanceof Any a ? a : Any.newBuilder().mergeFrom(c).build();
    if (!pa.getTypeUrl().equals(ca.getTypeUrl())) {
      add(path, DifferenceKind.TYPE, Rendering.quote(pa.getTypeUrl()), Rendering.quote(ca.getTypeUrl()));
      return;
    }
    String typeName = pa.getTypeUrl().substring(pa.getTypeUrl().lastIndexOf('/') + 1);
    Descriptor inner = TypeRegistries.catalog().find(typeName);
    if (inner != null) {
      try {
        messages(path, rule, DynamicMessage.parseFrom(inner, pa.getValue()), DynamicMessage.parseFrom(inner, ca.getValue()));
        return;
      } catch (InvalidProtocolBufferException e) {
        // fall through: compare the bytes
      }
    }
    if (!pa.getValue().equals(ca.getValue())) {
      add(path, DifferenceKind.VALUE, Rendering.message(pa), Rendering.message(ca));
    }
  }

  static List<String> child(List<String> rule, String name) {
    List<String> out = new ArrayList<>(rule.size() + 1);
    out.addAll(rule);
    out.add(name);
    return out;
  }

  /** Map entries by rendered key, sorted. */
  static Map<String, Object> entries(FieldDescriptor mapField, Message m) {
    FieldDescriptor key = mapField.getMessageType().findFieldByName("key");
    FieldDescriptor value = mapField.getMessageType().findFieldByName("value");
    Map<String, Object> out = new TreeMap<>();
    for (Object o : (List<?>) m.getField(mapField)) {
      Message entry = (Message) o;
      out.put(String.valueOf(entry.getField(key)), entry.getField(value));
    }
    return out;
  }

  static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new TreeSet<>(a);
    all.addAll(b);
    return all;
  }
}
