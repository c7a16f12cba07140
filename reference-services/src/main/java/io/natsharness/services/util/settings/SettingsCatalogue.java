package io.natsharness.services.util.settings;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.natsharness.proto.util.settings.v1.Scope;
import io.natsharness.proto.util.settings.v1.SettingDefinition;
import io.natsharness.proto.util.settings.v1.SettingValue;
import io.natsharness.proto.util.settings.v1.ValueType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The declared keys of settings, read at start from {@code catalogue.jsonl} next to this class:
 * one {@code SettingDefinition} per line in proto3 JSON. Every definition is checked when loaded
 * (key format, a type, scopes, a default of the type and in range), so a bad catalogue stops the
 * service from starting.
 *
 * <pre>{@code
 * SettingsCatalogue catalogue = SettingsCatalogue.load();
 * catalogue.find("audio.master_volume");            // Optional[SettingDefinition]
 * catalogue.keys(Scope.GLOBAL, "audio.");           // [audio.master_volume, audio.music_volume]
 * }</pre>
 */
final class SettingsCatalogue {

  static final Pattern KEY = Pattern.compile("[a-z0-9._-]{1,128}");

  private final TreeMap<String, SettingDefinition> definitions;

  private SettingsCatalogue(TreeMap<String, SettingDefinition> definitions) {
    this.definitions = definitions;
  }

  static SettingsCatalogue load() {
    TreeMap<String, SettingDefinition> definitions = new TreeMap<>();
    try (InputStream in = SettingsCatalogue.class.getResourceAsStream("catalogue.jsonl")) {
      if (in == null) {
        throw new IllegalStateException("settings catalogue.jsonl is missing");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      int lineNumber = 0;
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        SettingDefinition d = parse(line, lineNumber);
        if (definitions.put(d.getKey(), d) != null) {
          throw new IllegalStateException("settings catalogue line " + lineNumber + " repeats key " + d.getKey());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the settings catalogue", e);
    }
    return new SettingsCatalogue(definitions);
  }

  Optional<SettingDefinition> find(String key) {
    return Optional.ofNullable(definitions.get(key));
  }

  /** Keys declared for the scope that start with the prefix, in byte order. */
  List<String> keys(Scope scope, String prefix) {
    return definitions.values().stream()
        .filter(d -> d.getScopesList().contains(scope) && d.getKey().startsWith(prefix))
        .map(SettingDefinition::getKey).toList();
  }

  private static SettingDefinition parse(String line, int lineNumber) {
    SettingDefinition.Builder b = SettingDefinition.newBuilder();
    try {
      JsonFormat.parser().merge(line, b);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("settings catalogue line " + lineNumber + ": " + e.getMessage(), e);
    }
    SettingDefinition d = b.build();
    String problem = !KEY.matcher(d.getKey()).matches() ? "malformed key '" + d.getKey() + "'"
        : d.getType() == ValueType.VALUE_TYPE_UNSPECIFIED ? "no type"
        : d.getScopesCount() == 0 || d.getScopesList().contains(Scope.SCOPE_UNSPECIFIED) ? "no or unspecified scopes"
        : !d.hasDefaultValue() ? "no default" : null;
    if (problem == null) {
      problem = bound(d, d.getMin(), d.hasMin()).or(() -> bound(d, d.getMax(), d.hasMax()))
          .or(() -> ValueRules.check(d, d.getDefaultValue())).orElse(null);
    }
    if (problem != null) {
      throw new IllegalStateException("settings catalogue line " + lineNumber + " (" + d.getKey() + "): " + problem);
    }
    return d;
  }

  private static Optional<String> bound(SettingDefinition d, SettingValue bound, boolean present) {
    if (!present) {
      return Optional.empty();
    }
    boolean ok = (d.getType() == ValueType.INT64 && bound.getKindCase() == SettingValue.KindCase.INT64_VALUE)
        || (d.getType() == ValueType.DOUBLE && bound.getKindCase() == SettingValue.KindCase.DOUBLE_VALUE);
    return ok ? Optional.empty() : Optional.of("min/max must be of the key's numeric type");
  }
}
