package io.natsharness.conformance.load;

import io.natsharness.conformance.load.generate.IntervalListener;

/**
 * Follows a suite's phases (the console progress bar is one).
 *
 * <pre>{@code
 * PhaseListener quiet = PhaseListener.NONE;
 * }</pre>
 */
public interface PhaseListener {

  PhaseListener NONE = new PhaseListener() {
    @Override
    public IntervalListener started(Phase phase, int index, int total) {
      return IntervalListener.NONE;
    }

    @Override
    public void finished(Phase phase, LoadResult result) {}
  };

  /** Phase {@code index} (1-based) of {@code total} starts; returns what gets its intervals. */
  IntervalListener started(Phase phase, int index, int total);

  void finished(Phase phase, LoadResult result);
}
