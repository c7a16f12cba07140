package io.natsharness.proto.diff;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Per-method comparison rules from a JSON file: defaults for every method, and rules per method
 * (by NATS subject) that refine them.
 *
 * <pre>{@code
 * {
 *   "default": {"timestampTolerance": [{"path": "**", "tolerance": "2s"}]},
 *   "methods": {
 *     "svc.infra.auth.v1.issue_token": {
 *       "ignore": ["token"],
 *       "ids": ["claims.token_id"],
 *       "numericTolerance": [{"path": "claims.ttl", "absolute": 1, "relative": 0}],
 *       "unordered": ["claims.scopes", {"path": "instances", "key": "instance_id"}]
 *     }
 *   }
 * }
 * }</pre>
 *
 * <pre>{@code
 * DiffConfig config = DiffConfig.read(Path.of("shadow-rules.json")).checkedAgainst(ServiceCatalog.load());
 * DiffRules rules = config.rules("svc.infra.auth.v1.issue_token");
 * }</pre>
 */
public final class DiffConfig {

  private static final Set<String> TOP_KEYS = Set.of("default", "methods");
  private static final Set<String> RULE_KEYS = Set.of("ignore", "numericTolerance", "timestampTolerance", "unordered", "ids");

  private final DiffRules defaults;
  private final Map<String, DiffRules> methods;

  private DiffConfig(DiffRules defaults, Map<String, DiffRules> methods) {
    this.defaults = defaults;
    this.methods = java.util.Collections.unmodifiableMap(new TreeMap<>(methods));
  }

  /** No rules at all. */
  public static DiffConfig empty() {
    return new DiffConfig(DiffRules.none(), Map.of());
  }

  /** Reads a config file; errors name the file. */
  public static DiffConfig read(Path file) throws IOException {
    try {
      return parse(Files.readString(file));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Parses a config.
   *
   * @throws IllegalArgumentException naming the place of the first problem: malformed JSON, an
   *     unknown key, a value of the wrong kind, a malformed path pattern or tolerance
   */
  public static DiffConfig parse(String json) {
    Struct.Builder root = Struct.newBuilder();
    try {
      JsonFormat.parser().merge(json, root);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new IllegalArgumentException("comparison rules are not a JSON object: " + e.getMessage(), e);
    }
    Struct top = root.build();
    unknownKeys("", top, TOP_KEYS);
    DiffRules defaults = top.containsFields("default") ? rules("default", object("default", top.getFieldsOrThrow("default")))
        : DiffRules.none();
    Map<String, DiffRules> methods = new TreeMap<>();
    if (top.containsFields("methods")) {
      Struct all = object("methods", top.getFieldsOrThrow("methods"));
      for (Map.Entry<String, Value> e : new TreeMap<>(all.getFieldsMap()).entrySet()) {
        String where = "methods.\"" + e.getKey() + "\"";
        methods.put(e.getKey(), rules(where, object(where, e.getValue())));
      }
    }
    return new DiffConfig(defaults, methods);
  }

  /**
   * Checks every method subject against the catalog and every path of a method's rules against
   * its response type, so a typo fails at once instead of silently matching nothing.
   *
   * @return this config
   * @throws IllegalArgumentException listing every problem found
   */
  public DiffConfig checkedAgainst(ServiceCatalog catalog) {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, DiffRules> e : methods.entrySet()) {
      MethodInfo method = catalog.method(e.getKey()).orElse(null);
      if (method == null) {
        problems.add("methods.\"" + e.getKey() + "\": no method of the catalog has this subject");
        continue;
      }
      List<List<String>> paths = FieldPaths.of(method.responseType());
      for (String pattern : e.getValue().patterns()) {
        PathPattern parsed = PathPattern.parse(pattern);
        if (!pattern.startsWith("@") && paths.stream().noneMatch(parsed::matches)) {
          problems.add("methods.\"" + e.getKey() + "\": '" + pattern + "' matches no field of "
              + method.responseType().getFullName());
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("comparison rules do not fit the contract:\n  - " + String.join("\n  - ", problems));
    }
    return this;
  }

  /**
   * These rules followed by {@code more}'s: defaults merged, each method's rules merged; where both
   * have a rule for the same path, {@code more}'s wins (see {@link DiffRules#merge}).
   */
  public DiffConfig merge(DiffConfig more) {
    Map<String, DiffRules> merged = new TreeMap<>(methods);
    more.methods.forEach((subject, rules) -> merged.merge(subject, rules, DiffRules::merge));
    return new DiffConfig(defaults.merge(more.defaults), merged);
  }

  /** The rules of one method: the defaults, refined by the method's own. */
  public DiffRules rules(String subject) {
    DiffRules own = methods.get(subject);
    return own == null ? defaults : defaults.merge(own);
  }

  public DiffRules defaults() {
    return defaults;
  }

  /** The subjects that have rules of their own. */
  public Set<String> methods() {
    return methods.keySet();
  }

  private static DiffRules rules(String where, Struct s) {
    unknownKeys(where, s, RULE_KEYS);
    DiffRules.Builder b = DiffRules.builder();
    try {
      for (Value v : list(where + ".ignore", s, "ignore")) {
        b.withIgnored(string(where + ".ignore", v));
      }
      for (Value v : list(where + ".ids", s, "ids")) {
        b.withRemappedIds(string(where + ".ids", v));
      }
      for (Value v : list(where + ".unordered", s, "unordered")) {
        if (v.hasStructValue()) {
          Struct u = v.getStructValue();
          unknownKeys(where + ".unordered", u, Set.of("path", "key"));
          String path = string(where + ".unordered.path", field(where + ".unordered", u, "path"));
          if (u.containsFields("key")) {
            b.withUnorderedList(path, string(where + ".unordered.key", u.getFieldsOrThrow("key")));
          } else {
            b.withUnorderedList(path);
          }
        } else {
          b.withUnorderedList(string(where + ".unordered", v));
        }
      }
      for (Value v : list(where + ".numericTolerance", s, "numericTolerance")) {
        Struct n = object(where + ".numericTolerance", v);
        unknownKeys(where + ".numericTolerance", n, Set.of("path", "absolute", "relative"));
        b.withNumericTolerance(string(where + ".numericTolerance.path", field(where + ".numericTolerance", n, "path")),
            number(where + ".numericTolerance.absolute", n, "absolute"),
            number(where + ".numericTolerance.relative", n, "relative"));
      }
      for (Value v : list(where + ".timestampTolerance", s, "timestampTolerance")) {
        Struct t = object(where + ".timestampTolerance", v);
        unknownKeys(where + ".timestampTolerance", t, Set.of("path", "tolerance"));
        b.withTimestampTolerance(string(where + ".timestampTolerance.path", field(where + ".timestampTolerance", t, "path")),
            Tolerances.duration(string(where + ".timestampTolerance.tolerance",
                field(where + ".timestampTolerance", t, "tolerance"))));
      }
    } catch (IllegalArgumentException e) {
      if (e.getMessage().startsWith(where)) {
        throw e;
      }
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
    return b.build();
  }

  private static void unknownKeys(String where, Struct s, Set<String> allowed) {
    Map<String, Value> fields = new LinkedHashMap<>(new TreeMap<>(s.getFieldsMap()));
    for (String key : fields.keySet()) {
      if (!allowed.contains(key)) {
        throw new IllegalArgumentException((where.isEmpty() ? "" : where + ": ") + "unknown key \"" + key
            + "\" (expected one of " + new java.util.TreeSet<>(allowed) + ")");
      }
    }
  }

  private static Struct object(String where, Value v) {
    if (!v.hasStructValue()) {
      throw new IllegalArgumentException(where + ": expected a JSON object");
    }
    return v.getStructValue();
  }

  private static List<Value> list(String where, Struct s, String key) {
    if (!s.containsFields(key)) {
      return List.of();
    }
    Value v = s.getFieldsOrThrow(key);
    if (!v.hasListValue()) {
      throw new IllegalArgumentException(where + ": expected a JSON array");
    }
    return v.getListValue().getValuesList();
  }

  private static Value field(String where, Struct s, String key) {
    if (!s.containsFields(key)) {
      throw new IllegalArgumentException(where + ": \"" + key + "\" is required");
    }
    return s.getFieldsOrThrow(key);
  }

  private static String string(String where, Value v) {
    if (v.getKindCase() != Value.KindCase.STRING_VALUE) {
      throw new IllegalArgumentException(where + ": expected a string");
    }
    return v.getStringValue();
  }

  private static double number(String where, Struct s, String key) {
    if (!s.containsFields(key)) {
      return 0;
    }
    Value v = s.getFieldsOrThrow(key);
    if (v.getKindCase() != Value.KindCase.NUMBER_VALUE) {
      throw new IllegalArgumentException(where + ": expected a number");
    }
    return v.getNumberValue();
  }
}
