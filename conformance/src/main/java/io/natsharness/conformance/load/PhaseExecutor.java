package io.natsharness.conformance.load;

import io.natsharness.conformance.load.generate.IntervalListener;

/**
 * Runs phases: in this process ({@link LocalExecutor}) or on generator processes coordinated over
 * NATS ({@link io.natsharness.conformance.load.distributed.Coordinator}). Closing releases the
 * transports it opened.
 *
 * <pre>{@code
 * try (PhaseExecutor local = new LocalExecutor(endpoints)) {
 *   LoadResult r = local.run(phase, IntervalListener.NONE);
 * }
 * }</pre>
 */
public interface PhaseExecutor extends AutoCloseable {

  /**
   * Runs one phase; {@code progress} sees the (merged) intervals as they come.
   *
   * @throws Exception when the phase cannot run (a transport cannot connect, a generator is lost)
   */
  LoadResult run(Phase phase, IntervalListener progress) throws Exception;

  /** How many generator processes make the load. */
  int generators();

  @Override
  void close();
}
