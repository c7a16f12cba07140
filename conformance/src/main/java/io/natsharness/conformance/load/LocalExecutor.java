package io.natsharness.conformance.load;

import io.natsharness.conformance.load.generate.Caller;
import io.natsharness.conformance.load.generate.IntervalListener;
import io.natsharness.conformance.load.generate.LoadGenerator;
import io.natsharness.conformance.load.generate.RunTotals;
import io.natsharness.conformance.load.generate.SampleSink;
import io.natsharness.conformance.load.generate.Tally;
import io.natsharness.conformance.load.transport.Endpoints;
import io.natsharness.conformance.load.transport.Transport;
import io.natsharness.conformance.load.transport.TransportKind;
import io.natsharness.conformance.load.transport.Transports;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Runs phases in this process. Transports are opened on first use and kept for later phases
 * (their connections stay warm), then closed with the executor.
 *
 * <pre>{@code
 * try (LocalExecutor local = new LocalExecutor(endpoints)) {
 *   LoadResult r = local.run(new Phase(requests, TransportKind.RAW, plan), IntervalListener.NONE);
 * }
 * }</pre>
 */
public final class LocalExecutor implements PhaseExecutor {

  private final Endpoints endpoints;
  private final SampleSink sink;
  private final Map<TransportKind, Transport> open = new EnumMap<>(TransportKind.class);

  public LocalExecutor(Endpoints endpoints) {
    this(endpoints, SampleSink.NONE);
  }

  /** With every response time also written to {@code sink} (an audit trail for tests). */
  public LocalExecutor(Endpoints endpoints, SampleSink sink) {
    this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
    this.sink = Objects.requireNonNull(sink, "sink");
  }

  @Override
  public LoadResult run(Phase phase, IntervalListener progress) throws Exception {
    Transport transport = transport(phase);
    Caller caller = transport.caller(phase.requests());
    RunTotals totals = LoadGenerator.run(phase.plan(), caller, new Tally("local", sink), progress);
    return LoadResult.of(phase.subject(), phase.transport(), transport.description(), phase.plan(), 1, totals);
  }

  /** The transport of a phase, opened now or kept from an earlier phase. */
  public synchronized Transport transport(Phase phase) throws java.io.IOException {
    Transport t = open.get(phase.transport());
    if (t == null) {
      t = Transports.open(phase.transport(), endpoints, phase.plan().timeout(), phase.plan().maxInFlight());
      open.put(phase.transport(), t);
    }
    return t;
  }

  @Override
  public int generators() {
    return 1;
  }

  @Override
  public synchronized void close() {
    open.values().forEach(Transport::close);
    open.clear();
  }
}
