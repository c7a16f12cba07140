package io.natsharness.conformance.load;

import io.natsharness.conformance.load.requests.LoadRequests;
import io.natsharness.conformance.load.requests.PayloadSizes;
import io.natsharness.conformance.load.requests.RequestSource;
import io.natsharness.conformance.load.transport.TransportKind;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.sdk.client.RpcClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The load-latency suite: for every method, its request bodies and payload sizes, then each plan
 * (rate) over every transport in turn, side by side in one report, and optionally a max-rate
 * search per method and transport. Phases run one after another, never at once: on a shared
 * machine concurrent transports would measure each other.
 *
 * <pre>{@code
 * LoadReport report = LoadSuite.builder()
 *     .withMethods(List.of(catalog.method("svc.util.settings.v1.get").orElseThrow()))
 *     .withTransports(List.of(TransportKind.NATS, TransportKind.GATEWAY, TransportKind.LEGACY, TransportKind.RAW))
 *     .withPlans(List.of(plan))
 *     .withRequests(new GeneratedRequests(RequestGenerators.create(), nats, 42, 2))
 *     .withExecutor(new LocalExecutor(endpoints))
 *     .withProbeClient(rpc)
 *     .build()
 *     .run();
 * }</pre>
 */
public final class LoadSuite {

  private final Builder b;

  private LoadSuite(Builder b) {
    this.b = b;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs every phase.
   *
   * @throws Exception when a phase cannot run at all (its figures would be missing, not bad)
   */
  public LoadReport run() throws Exception {
    Instant started = Instant.now();
    List<LoadResult> results = new ArrayList<>();
    List<PayloadSizes> payloads = new ArrayList<>();
    List<MaxRate> maxRates = new ArrayList<>();
    List<String> warnings = new ArrayList<>(b.warnings);
    List<TransportKind> transports = b.transports;
    int total = b.methods.size() * transports.size() * b.plans.size();
    int index = 0;
    for (MethodInfo method : b.methods) {
      LoadRequests requests = b.requests.requests(method);
      b.probe.ifPresent(rpc -> payloads.add(PayloadSizes.measure(requests, rpc)));
      for (LoadPlan plan : b.plans) {
        for (TransportKind transport : transports) {
          Phase phase = new Phase(requests, transport, plan);
          LoadResult r = b.executor.run(phase, b.listener.started(phase, ++index, total));
          b.listener.finished(phase, r);
          results.add(r);
        }
      }
      if (b.search != null) {
        for (TransportKind transport : transports) {
          maxRates.add(b.search.search(b.executor, requests, transport, b.probePlan.orElse(b.plans.get(0)), b.listener));
        }
      }
    }
    return new LoadReport(b.target, started, Duration.between(started, Instant.now()), b.plans.get(0).mode(),
        b.executor.generators(), results, payloads, maxRates, b.slo, warnings);
  }

  /** Builds a {@link LoadSuite}; methods, transports, plans, requests and an executor are required. */
  public static final class Builder {
    private List<MethodInfo> methods;
    private List<TransportKind> transports;
    private List<LoadPlan> plans;
    private RequestSource requests;
    private PhaseExecutor executor;
    private Optional<RpcClient> probe = Optional.empty();
    private PhaseListener listener = PhaseListener.NONE;
    private SloConfig slo = SloConfig.defaults();
    private MaxRateSearch search;
    private Optional<LoadPlan> probePlan = Optional.empty();
    private String target = "(unnamed target)";
    private final List<String> warnings = new ArrayList<>();

    private Builder() {}

    public Builder withMethods(List<MethodInfo> m) {
      methods = nonEmpty(m, "methods");
      return this;
    }

    public Builder withTransports(List<TransportKind> t) {
      transports = nonEmpty(t, "transports");
      return this;
    }

    /** One plan per rate; each runs over every transport. */
    public Builder withPlans(List<LoadPlan> p) {
      plans = nonEmpty(p, "plans");
      return this;
    }

    public Builder withRequests(RequestSource r) {
      requests = Objects.requireNonNull(r, "requests");
      return this;
    }

    public Builder withExecutor(PhaseExecutor e) {
      executor = Objects.requireNonNull(e, "executor");
      return this;
    }

    /** A client for one call per method that measures response sizes (optional). */
    public Builder withProbeClient(RpcClient rpc) {
      probe = Optional.of(rpc);
      return this;
    }

    public Builder withListener(PhaseListener l) {
      listener = Objects.requireNonNull(l, "listener");
      return this;
    }

    public Builder withSlo(SloConfig s) {
      slo = Objects.requireNonNull(s, "slo");
      return this;
    }

    /** Also search each method and transport's max sustainable rate (after the plans), probing with the first plan's settings. */
    public Builder withMaxRateSearch(MaxRateSearch s) {
      search = Objects.requireNonNull(s, "search");
      return this;
    }

    /** As {@link #withMaxRateSearch(MaxRateSearch)}, with the warm-up, duration and bounds of {@code probe}. */
    public Builder withMaxRateSearch(MaxRateSearch s, LoadPlan probe) {
      probePlan = Optional.of(Objects.requireNonNull(probe, "probe"));
      return withMaxRateSearch(s);
    }

    public Builder withTarget(String description) {
      target = Objects.requireNonNull(description, "target");
      return this;
    }

    /** Something the report should tell (a transport left out, and why). */
    public Builder withWarning(String warning) {
      warnings.add(Objects.requireNonNull(warning, "warning"));
      return this;
    }

    public LoadSuite build() {
      if (methods == null || transports == null || plans == null || requests == null || executor == null) {
        throw new IllegalStateException("a load suite needs methods, transports, plans, requests and an executor");
      }
      return new LoadSuite(this);
    }

    private static <T> List<T> nonEmpty(List<T> list, String what) {
      if (list == null || list.isEmpty()) {
        throw new IllegalArgumentException(what + " must not be empty");
      }
      return List.copyOf(list);
    }
  }
}
