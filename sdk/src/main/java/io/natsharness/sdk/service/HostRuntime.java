package io.natsharness.sdk.service;

import io.nats.client.Connection;
import io.natsharness.sdk.internal.Telemetry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/** What every endpoint of a host shares. */
record HostRuntime(Connection connection, Telemetry telemetry, Duration defaultDeadline, AtomicBoolean stopping) {

  boolean isStopping() {
    return stopping.get();
  }
}
