package io.natsharness.gateway.cutover;

import io.natsharness.proto.infra.router.v1.RouteMode;
import java.util.Locale;
import java.util.Objects;

/**
 * Where the gateway sends a route's requests during the cutover: the router service's
 * {@link RouteMode} and, in CANARY mode, the percentage that goes over NATS.
 *
 * <pre>{@code
 * CutoverMode.canary(10);            // 10 % of players over NATS, the rest to the legacy upstream
 * CutoverMode.parse("CANARY", 10);   // the same, from configuration
 * CutoverMode.nats();                // NATS only
 * }</pre>
 *
 * @param mode HTTP, SHADOW, CANARY or NATS
 * @param canaryPercent in [0, 100] in CANARY mode, 0 otherwise
 */
public record CutoverMode(RouteMode mode, int canaryPercent) {

  public CutoverMode {
    Objects.requireNonNull(mode, "mode");
    if (mode == RouteMode.ROUTE_MODE_UNSPECIFIED || mode == RouteMode.UNRECOGNIZED) {
      throw new IllegalArgumentException("route mode must be HTTP, SHADOW, CANARY or NATS, not " + mode);
    }
    if (mode == RouteMode.CANARY && (canaryPercent < 0 || canaryPercent > 100)) {
      throw new IllegalArgumentException("canary percent must be in [0, 100], not " + canaryPercent);
    }
    if (mode != RouteMode.CANARY && canaryPercent != 0) {
      throw new IllegalArgumentException("canary percent is only allowed in CANARY mode, not in " + mode);
    }
  }

  public static CutoverMode http() {
    return new CutoverMode(RouteMode.HTTP, 0);
  }

  public static CutoverMode shadow() {
    return new CutoverMode(RouteMode.SHADOW, 0);
  }

  public static CutoverMode nats() {
    return new CutoverMode(RouteMode.NATS, 0);
  }

  public static CutoverMode canary(int percent) {
    return new CutoverMode(RouteMode.CANARY, percent);
  }

  /** Parses a mode name (case-insensitive) as written in configuration. */
  public static CutoverMode parse(String name, int canaryPercent) {
    String upper = name.trim().toUpperCase(Locale.ROOT);
    return switch (upper) {
      case "HTTP", "SHADOW", "CANARY", "NATS" -> new CutoverMode(RouteMode.valueOf(upper), canaryPercent);
      default -> throw new IllegalArgumentException(
          "unknown route mode '" + name + "' (expected HTTP, SHADOW, CANARY or NATS)");
    };
  }

  /** Whether this mode needs the legacy HTTP upstream. */
  public boolean needsLegacy() {
    return mode != RouteMode.NATS;
  }

  @Override
  public String toString() {
    return mode == RouteMode.CANARY ? "CANARY(" + canaryPercent + "%)" : mode.name();
  }
}
