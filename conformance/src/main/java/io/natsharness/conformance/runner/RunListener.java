package io.natsharness.conformance.runner;

/** Hears about a run as it goes, e.g. to print progress. */
public interface RunListener {

  default void started(int checks) {}

  default void finished(CheckResult result, int done, int total) {}

  RunListener NONE = new RunListener() {};
}
