package io.natsharness.services.support;

/**
 * Background work of a service that must run while it is hosted (lease sweeps, resuming
 * workflows). The host calls {@link #start()} once its services answer on NATS, and
 * {@link #close()} after the NATS side has drained, before the connections close.
 *
 * <p>A service that implements it must still answer correctly when nobody calls {@code start()}
 * (e.g. a test that hosts it with a bare {@code ServiceHost}): background work only makes
 * eventual things happen sooner (an expiry event, a resumed workflow).
 *
 * <pre>{@code
 * public final class CapabilityRegistryService implements NatsService, ServiceLifecycle {
 *   public void start() { sweeper.scheduleAtFixedRate(this::sweep, 1, 1, SECONDS); }
 *   public void close() { sweeper.shutdownNow(); }
 * }
 * }</pre>
 */
public interface ServiceLifecycle extends AutoCloseable {

  /** Starts the background work; called once. */
  void start();

  /** Stops the background work and waits briefly for it; never throws a checked exception. */
  @Override
  void close();
}
