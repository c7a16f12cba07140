package io.natsharness.gateway.shadow;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A {@link ResponseComparator} that walks the message descriptor: scalars by value, enums by name,
 * nested messages recursively, lists element by element (and by length), maps key by key. An unset
 * message field equals an empty one (JSON drops the difference); a field with explicit presence
 * (proto3 {@code optional}) differs when set on one side only. Paths can be ignored (ids, clocks):
 * {@code meta} ignores the subtree, {@code beats.created_at} ignores that field in every element.
 *
 * <pre>{@code
 * DescriptorComparator comparator = DescriptorComparator.builder()
 *     .withIgnoredField("meta.updated_at")
 *     .withDoubleTolerance(1e-9)
 *     .build();
 * comparator.compare(legacyAnswer, natsAnswer); // [tokens_used: expected 12, got 13]
 * }</pre>
 */
public final class DescriptorComparator implements ResponseComparator {

  static final String ABSENT = "<absent>";
  private static final int MAX_VALUE_CHARS = 200;

  private final Set<String> ignored;
  private final double doubleTolerance;

  private DescriptorComparator(Builder b) {
    this.ignored = Set.copyOf(b.ignored);
    this.doubleTolerance = b.doubleTolerance;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A comparator with no ignored fields and exact doubles. */
  public static DescriptorComparator exact() {
    return builder().build();
  }

  @Override
  public List<FieldDifference> compare(Message expected, Message actual) {
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(actual, "actual");
    if (!expected.getDescriptorForType().getFullName().equals(actual.getDescriptorForType().getFullName())) {
      throw new IllegalArgumentException("cannot compare " + expected.getDescriptorForType().getFullName()
          + " with " + actual.getDescriptorForType().getFullName());
    }
    List<FieldDifference> out = new ArrayList<>();
    compareMessages("", expected, actual, out);
    return List.copyOf(out);
  }

  private void compareMessages(String prefix, Message e, Message a, List<FieldDifference> out) {
    for (FieldDescriptor fd : e.getDescriptorForType().getFields()) {
      String path = prefix.isEmpty() ? fd.getName() : prefix + "." + fd.getName();
      if (isIgnored(path)) {
        continue;
      }
      if (fd.isMapField()) {
        compareMaps(path, fd, e, a, out);
      } else if (fd.isRepeated()) {
        compareLists(path, fd, e, a, out);
      } else if (fd.hasPresence() && fd.getJavaType() != FieldDescriptor.JavaType.MESSAGE
          && e.hasField(fd) != a.hasField(fd)) {
        out.add(new FieldDifference(path, e.hasField(fd) ? show(fd, e.getField(fd)) : ABSENT,
            a.hasField(fd) ? show(fd, a.getField(fd)) : ABSENT));
      } else {
        compareValues(path, fd, e.getField(fd), a.getField(fd), out);
      }
    }
  }

  private void compareLists(String path, FieldDescriptor fd, Message e, Message a, List<FieldDifference> out) {
    int en = e.getRepeatedFieldCount(fd);
    int an = a.getRepeatedFieldCount(fd);
    for (int i = 0; i < Math.min(en, an); i++) {
      compareValues(path + "[" + i + "]", fd, e.getRepeatedField(fd, i), a.getRepeatedField(fd, i), out);
    }
    for (int i = an; i < en; i++) {
      out.add(new FieldDifference(path + "[" + i + "]", show(fd, e.getRepeatedField(fd, i)), ABSENT));
    }
    for (int i = en; i < an; i++) {
      out.add(new FieldDifference(path + "[" + i + "]", ABSENT, show(fd, a.getRepeatedField(fd, i))));
    }
  }

  private void compareMaps(String path, FieldDescriptor fd, Message e, Message a, List<FieldDifference> out) {
    FieldDescriptor valueField = fd.getMessageType().findFieldByName("value");
    Map<String, Object> em = entries(fd, e);
    Map<String, Object> am = entries(fd, a);
    Set<String> keys = new TreeSet<>(em.keySet());
    keys.addAll(am.keySet());
    for (String key : keys) {
      String entryPath = path + "[\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
      Object ev = em.get(key);
      Object av = am.get(key);
      if (ev == null || av == null) {
        out.add(new FieldDifference(entryPath, ev == null ? ABSENT : show(valueField, ev),
            av == null ? ABSENT : show(valueField, av)));
      } else {
        compareValues(entryPath, valueField, ev, av, out);
      }
    }
  }

  private static Map<String, Object> entries(FieldDescriptor fd, Message m) {
    FieldDescriptor keyField = fd.getMessageType().findFieldByName("key");
    FieldDescriptor valueField = fd.getMessageType().findFieldByName("value");
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < m.getRepeatedFieldCount(fd); i++) {
      Message entry = (Message) m.getRepeatedField(fd, i);
      map.put(String.valueOf(entry.getField(keyField)), entry.getField(valueField));
    }
    return map;
  }

  private void compareValues(String path, FieldDescriptor fd, Object e, Object a, List<FieldDifference> out) {
    if (fd.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
      compareMessages(path, (Message) e, (Message) a, out);
      return;
    }
    if (!sameScalar(fd, e, a)) {
      out.add(new FieldDifference(path, show(fd, e), show(fd, a)));
    }
  }

  private boolean sameScalar(FieldDescriptor fd, Object e, Object a) {
    return switch (fd.getJavaType()) {
      case DOUBLE, FLOAT -> {
        double x = ((Number) e).doubleValue();
        double y = ((Number) a).doubleValue();
        yield Double.compare(x, y) == 0 || Math.abs(x - y) <= doubleTolerance;
      }
      case ENUM -> ((EnumValueDescriptor) e).getNumber() == ((EnumValueDescriptor) a).getNumber();
      default -> e.equals(a);
    };
  }

  private boolean isIgnored(String path) {
    if (ignored.isEmpty()) {
      return false;
    }
    String bare = FieldDifference.stripIndices(path);
    return ignored.contains(path) || ignored.contains(bare);
  }

  static String show(FieldDescriptor fd, Object value) {
    String text = switch (fd.getJavaType()) {
      case STRING -> "\"" + value + "\"";
      case BYTE_STRING -> "base64:" + Base64.getEncoder().encodeToString(((ByteString) value).toByteArray());
      case ENUM -> ((EnumValueDescriptor) value).getName();
      case MESSAGE -> "{" + TextFormat.printer().emittingSingleLine(true).printToString((Message) value).trim() + "}";
      default -> String.valueOf(value);
    };
    return text.length() <= MAX_VALUE_CHARS ? text : text.substring(0, MAX_VALUE_CHARS) + "...";
  }

  /** Builder of {@link DescriptorComparator}. */
  public static final class Builder {
    private final Set<String> ignored = new TreeSet<>();
    private double doubleTolerance;

    private Builder() {}

    /** Skips a field path (and its subtree); without indices it applies to every element. */
    public Builder withIgnoredField(String path) {
      if (path == null || path.isBlank() || path.startsWith(".") || path.endsWith(".")) {
        throw new IllegalArgumentException("ignored field path must be like 'meta.updated_at', not '" + path + "'");
      }
      ignored.add(path.trim());
      return this;
    }

    public Builder withIgnoredFields(Iterable<String> paths) {
      paths.forEach(this::withIgnoredField);
      return this;
    }

    /** Doubles and floats within this absolute difference count as equal (default 0: exact). */
    public Builder withDoubleTolerance(double tolerance) {
      if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
        throw new IllegalArgumentException("double tolerance must be a finite number >= 0, not " + tolerance);
      }
      this.doubleTolerance = tolerance;
      return this;
    }

    public DescriptorComparator build() {
      return new DescriptorComparator(this);
    }
  }
}
