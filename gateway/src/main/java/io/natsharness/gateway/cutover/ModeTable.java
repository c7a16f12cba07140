package io.natsharness.gateway.cutover;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live cutover mode of every route, keyed by NATS subject. Read on every request, written by
 * configuration at start and by the router service at run time; a write takes effect on the next
 * request (no restart, no lock on the read path).
 *
 * <pre>{@code
 * ModeTable modes = new ModeTable(CutoverMode.nats());
 * modes.set("svc.util.payment.v1.charge", CutoverMode.canary(10), "config");
 * modes.get("svc.util.payment.v1.charge"); // CANARY(10%)
 * }</pre>
 */
public final class ModeTable {

  private static final Logger LOG = LoggerFactory.getLogger(ModeTable.class);

  private final CutoverMode fallback;
  private final Map<String, CutoverMode> modes = new ConcurrentHashMap<>();
  private volatile BiConsumer<String, CutoverMode> listener = (s, m) -> { };

  public ModeTable(CutoverMode fallback) {
    this.fallback = Objects.requireNonNull(fallback, "fallback");
  }

  /** The route's mode, or the default mode when none was set. */
  public CutoverMode get(String subject) {
    return modes.getOrDefault(subject, fallback);
  }

  /** Sets a route's mode; {@code source} says who (config, router, api) for the log. */
  public void set(String subject, CutoverMode mode, String source) {
    Objects.requireNonNull(mode, "mode");
    CutoverMode previous = modes.put(subject, mode);
    if (!mode.equals(previous)) {
      LOG.info("route {} mode {} -> {} (from {})", subject, previous == null ? fallback : previous, mode, source);
      listener.accept(subject, mode);
    }
  }

  /** A snapshot of the routes whose mode was set. */
  public Map<String, CutoverMode> snapshot() {
    return Map.copyOf(modes);
  }

  /** Called after each change (used by metrics). */
  public void onChange(BiConsumer<String, CutoverMode> l) {
    this.listener = Objects.requireNonNull(l, "listener");
  }
}
