package io.natsharness.gateway.limits;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToIntFunction;

/**
 * Bounds the requests in flight, per route and overall, without a queue: a request that finds its
 * route full is refused at once (429), one that finds the gateway full is refused at once (503).
 * Nothing waits, so memory and latency stay bounded under a flood.
 *
 * <pre>{@code
 * InFlightLimiter limiter = new InFlightLimiter(1024, subject -> 64);
 * switch (limiter.tryAcquire("svc.util.time.v1.now")) { ... }
 * }</pre>
 */
public final class InFlightLimiter {

  /** Why a request was refused. */
  public enum Rejection {
    /** The route's own bound is reached (answered 429 RESOURCE_EXHAUSTED). */
    ROUTE_FULL,
    /** The gateway-wide bound is reached (answered 503 UNAVAILABLE). */
    GATEWAY_FULL
  }

  /** A held slot; release it exactly once (closing twice is harmless). */
  public interface Permit extends AutoCloseable {
    @Override
    void close();
  }

  private final int globalLimit;
  private final Semaphore global;
  private final ToIntFunction<String> routeLimit;
  private final Map<String, Semaphore> perRoute = new ConcurrentHashMap<>();

  public InFlightLimiter(int globalLimit, ToIntFunction<String> routeLimit) {
    if (globalLimit < 1) {
      throw new IllegalArgumentException("global limit must be at least 1, not " + globalLimit);
    }
    this.globalLimit = globalLimit;
    this.global = new Semaphore(globalLimit);
    this.routeLimit = routeLimit;
  }

  /** Takes a slot of the route and of the gateway, or says which bound refused it. */
  public Result tryAcquire(String route) {
    Semaphore r = perRoute.computeIfAbsent(route, k -> new Semaphore(routeLimit.applyAsInt(k)));
    if (!r.tryAcquire()) {
      return new Result(Optional.empty(), Optional.of(Rejection.ROUTE_FULL));
    }
    if (!global.tryAcquire()) {
      r.release();
      return new Result(Optional.empty(), Optional.of(Rejection.GATEWAY_FULL));
    }
    AtomicBoolean released = new AtomicBoolean();
    Permit permit = () -> {
      if (released.compareAndSet(false, true)) {
        global.release();
        r.release();
      }
    };
    return new Result(Optional.of(permit), Optional.empty());
  }

  /** Requests in flight now, over all routes. */
  public int inFlight() {
    return globalLimit - global.availablePermits();
  }

  /** Requests in flight now on one route. */
  public int inFlight(String route) {
    Semaphore r = perRoute.get(route);
    return r == null ? 0 : routeLimit.applyAsInt(route) - r.availablePermits();
  }

  /**
   * The outcome of {@link #tryAcquire}: a permit, or the rejection.
   *
   * @param permit present when admitted
   * @param rejection present when refused
   */
  public record Result(Optional<Permit> permit, Optional<Rejection> rejection) {}
}
