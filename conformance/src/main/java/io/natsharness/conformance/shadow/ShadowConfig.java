package io.natsharness.conformance.shadow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.natsharness.conformance.shadow.report.Thresholds;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.diff.DiffConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The shadow suite's configuration file: the comparison rules ({@link DiffConfig}'s format under
 * {@code "rules"}) and the CI thresholds, checked against the catalog when read.
 *
 * <pre>{@code
 * {
 *   "rules": {"methods": {"svc.infra.auth.v1.issue_token": {"ignore": ["token"]}}},
 *   "thresholds": {"default": 0.0, "methods": {"svc.util.time.v1.now": 0.05}}
 * }
 * }</pre>
 *
 * @param rules per-method comparison rules
 * @param thresholds the highest mismatch rate of each method
 */
public record ShadowConfig(DiffConfig rules, Thresholds thresholds) {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Class-path resource of the rules the contract itself calls for (see {@link #contractRules}). */
  public static final String CONTRACT_RULES = "/io/natsharness/conformance/shadow/contract-rules.json";

  /** The contract's rules, no mismatch tolerated. */
  public static ShadowConfig defaults() {
    return new ShadowConfig(contractRules(), Thresholds.strict());
  }

  /**
   * The rules the contract itself calls for, applied before a user's file: time_manager's game
   * time is scale x real time since the world's epoch, so two deployments asked a few real
   * milliseconds apart answer game times seconds apart at the initial scale of 60; its
   * game_time_ms is compared within 5 game minutes and its minute (a digit of game_time_ms that a
   * few seconds can change) only through game_time_ms.
   */
  public static DiffConfig contractRules() {
    try (java.io.InputStream in = ShadowConfig.class.getResourceAsStream(CONTRACT_RULES)) {
      if (in == null) {
        throw new IllegalStateException("the shadow suite's " + CONTRACT_RULES + " is not on the class path");
      }
      return parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), ServiceCatalog.load()).rules;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + CONTRACT_RULES, e);
    }
  }

  /** The contract's rules followed by the file's (the file wins where both have a rule for a path). */
  public static ShadowConfig readOverContract(Path file, ServiceCatalog catalog) throws IOException {
    ShadowConfig own = read(file, catalog);
    return new ShadowConfig(contractRules().merge(own.rules()), own.thresholds());
  }

  /**
   * Reads and checks a config file.
   *
   * @throws IllegalArgumentException naming the file and the problem
   */
  public static ShadowConfig read(Path file, ServiceCatalog catalog) throws IOException {
    try {
      return parse(Files.readString(file), catalog);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  public static ShadowConfig parse(String json, ServiceCatalog catalog) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("the shadow configuration must be a JSON object");
    }
    for (Iterator<String> keys = root.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (!Set.of("rules", "thresholds").contains(key)) {
        throw new IllegalArgumentException("unknown key \"" + key + "\" (expected rules, thresholds)");
      }
    }
    DiffConfig rules = root.has("rules")
        ? DiffConfig.parse(root.get("rules").toString()).checkedAgainst(catalog) : DiffConfig.empty();
    return new ShadowConfig(rules, thresholds(root.get("thresholds"), catalog));
  }

  private static Thresholds thresholds(JsonNode node, ServiceCatalog catalog) {
    if (node == null) {
      return Thresholds.strict();
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException("thresholds: expected a JSON object");
    }
    double fallback = 0;
    Map<String, Double> methods = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      switch (e.getKey()) {
        case "default" -> fallback = rate("thresholds.default", e.getValue());
        case "methods" -> {
          if (!e.getValue().isObject()) {
            throw new IllegalArgumentException("thresholds.methods: expected a JSON object");
          }
          for (Iterator<Map.Entry<String, JsonNode>> m = e.getValue().fields(); m.hasNext(); ) {
            Map.Entry<String, JsonNode> method = m.next();
            if (catalog.method(method.getKey()).isEmpty()) {
              throw new IllegalArgumentException("thresholds.methods.\"" + method.getKey()
                  + "\": no method of the catalog has this subject");
            }
            methods.put(method.getKey(), rate("thresholds.methods.\"" + method.getKey() + "\"", method.getValue()));
          }
        }
        default -> throw new IllegalArgumentException("thresholds: unknown key \"" + e.getKey()
            + "\" (expected default, methods)");
      }
    }
    return Thresholds.of(fallback, methods);
  }

  private static double rate(String where, JsonNode v) {
    if (!v.isNumber() || v.doubleValue() < 0 || v.doubleValue() > 1) {
      throw new IllegalArgumentException(where + ": a mismatch rate is a number in [0, 1], not " + v);
    }
    return v.doubleValue();
  }
}
