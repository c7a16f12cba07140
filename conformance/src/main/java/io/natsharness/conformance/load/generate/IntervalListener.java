package io.natsharness.conformance.load.generate;

/**
 * Gets every interval of a run as it is cut (progress bar, a remote coordinator). Called from the
 * generator's sampling thread; must return quickly.
 *
 * <pre>{@code
 * IntervalListener print = i -> System.out.println(i.counts().ok() + " ok");
 * }</pre>
 */
@FunctionalInterface
public interface IntervalListener {

  IntervalListener NONE = i -> { };

  void interval(Interval interval);

  /** This listener, then {@code next}. */
  default IntervalListener andThen(IntervalListener next) {
    return i -> {
      interval(i);
      next.interval(i);
    };
  }
}
