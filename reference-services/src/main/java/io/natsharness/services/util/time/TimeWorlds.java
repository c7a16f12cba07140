package io.natsharness.services.util.time;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The worlds time_manager knows, each with an optional configured epoch; "default" always
 * exists. Configured with {@code NH_TIME_WORLDS} (or the system property
 * {@code natsharness.time.worlds}): a comma list of {@code name} or {@code name@ISO-instant}.
 *
 * <pre>{@code
 * TimeWorlds.parse("default,arena@2026-01-01T00:00:00Z").epoch("arena"); // Optional[2026-01-01T00:00:00Z]
 * }</pre>
 */
public record TimeWorlds(Map<String, Optional<Instant>> epochs) {

  public static final String DEFAULT_WORLD = "default";
  static final Pattern WORLD_ID = Pattern.compile("[a-z0-9_-]{1,64}");

  public TimeWorlds {
    Map<String, Optional<Instant>> copy = new LinkedHashMap<>(epochs);
    copy.putIfAbsent(DEFAULT_WORLD, Optional.empty());
    epochs = Map.copyOf(copy);
  }

  /** Only "default", its epoch the first run. */
  public static TimeWorlds defaults() {
    return new TimeWorlds(Map.of());
  }

  /** From {@code NH_TIME_WORLDS} / {@code natsharness.time.worlds}, else the defaults. */
  public static TimeWorlds fromEnvironment() {
    String spec = System.getProperty("natsharness.time.worlds", System.getenv("NH_TIME_WORLDS"));
    return spec == null || spec.isBlank() ? defaults() : parse(spec);
  }

  /** Parses {@code name[@instant],...}; a malformed entry is an IllegalArgumentException. */
  public static TimeWorlds parse(String spec) {
    Map<String, Optional<Instant>> epochs = new LinkedHashMap<>();
    for (String raw : spec.split(",")) {
      String entry = raw.strip();
      if (entry.isEmpty()) {
        continue;
      }
      String[] parts = entry.split("@", 2);
      if (!WORLD_ID.matcher(parts[0]).matches()) {
        throw new IllegalArgumentException("world '" + parts[0] + "' must match " + WORLD_ID.pattern());
      }
      try {
        epochs.put(parts[0], parts.length == 2 ? Optional.of(Instant.parse(parts[1])) : Optional.empty());
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("epoch of world " + parts[0] + " is not an ISO instant: " + parts[1], e);
      }
    }
    return new TimeWorlds(epochs);
  }

  public boolean knows(String world) {
    return epochs.containsKey(world);
  }

  public Optional<Instant> epoch(String world) {
    return epochs.getOrDefault(world, Optional.empty());
  }
}
