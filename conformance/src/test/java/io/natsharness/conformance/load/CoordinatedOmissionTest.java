package io.natsharness.conformance.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.natsharness.conformance.load.generate.IntervalListener;
import io.natsharness.conformance.load.requests.LoadRequests;
import io.natsharness.conformance.load.transport.Endpoints;
import io.natsharness.conformance.load.transport.TransportKind;
import io.natsharness.harness.Backend;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.harness.NatsHarnessTest;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.util.settings.v1.GetRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A service that stalls 50 ms once a second: the open-loop run's corrected percentiles see the
 * stall, a closed-loop run of the same service hides it in its percentiles (only its max shows it).
 */
@NatsHarnessTest(redis = false, backend = Backend.EMBEDDED)
@DisplayName("Coordinated omission: a 50 ms stall once a second")
class CoordinatedOmissionTest {

  private static final long STALL_MICROS = StallingResponder.STALL_MILLIS * 1_000;

  private LoadResult run(HarnessRuntimeInfo info, LoadPlan plan, String subject) throws Exception {
    LoadRequests requests = LoadRequests.of(ServiceCatalog.load().method("svc.util.settings.v1.get").orElseThrow(),
        List.of(GetRequest.newBuilder().setKey("audio.volume").build()), "fixed");
    try (StallingResponder stalling = new StallingResponder(info.natsOptions(), subject);
         LocalExecutor executor = new LocalExecutor(new Endpoints(info::natsOptions, java.util.Optional.empty(),
             java.util.Optional.empty(), subject))) {
      LoadResult result = executor.run(new Phase(requests, TransportKind.RAW, plan), IntervalListener.NONE);
      assertThat(stalling.stalls()).as("stalls during the run").isGreaterThanOrEqualTo(2);
      System.out.printf("%s: %d answered, p50 %.3f ms, p99 %.3f ms, max %.3f ms, %d ≥ 25 ms, %d stalls%n",
          plan.mode().label(), result.counts().answered(), result.percentileMillis(50), result.percentileMillis(99),
          result.maxMillis(), result.response().getCountBetweenValues(STALL_MICROS / 2, Long.MAX_VALUE), stalling.stalls());
      return result;
    }
  }

  private static LoadPlan.Builder plan() {
    return LoadPlan.builder().withRate(RateProfile.constant(500)).withWarmup(Duration.ofMillis(500))
        .withDuration(Duration.ofSeconds(3)).withTimeout(Duration.ofSeconds(2));
  }

  @Test
  @DisplayName("open loop: requests that arrive during a stall wait for it, so p99 is stall-sized")
  void openLoopSeesTheStall(HarnessRuntimeInfo info) throws Exception {
    LoadResult open = run(info, plan().build(), "test.stall.open");

    assertThat(open.counts().errorCount()).isZero();
    // About 25 requests arrive during each 50 ms stall (500 req/s) and wait 2..50 ms: 5% of all.
    assertThat(open.response().getValueAtPercentile(99)).isGreaterThanOrEqualTo(STALL_MICROS / 2);
    assertThat(open.response().getCountBetweenValues(STALL_MICROS / 2, Long.MAX_VALUE))
        .isGreaterThanOrEqualTo(2 * 10);
  }

  @Test
  @DisplayName("closed loop: the stall holds back its callers, so one request per caller sees it and p99 hides it")
  void closedLoopHidesTheStall(HarnessRuntimeInfo info) throws Exception {
    LoadResult closed = run(info, plan().withClosedLoop(2).build(), "test.stall.closed");

    long stalled = closed.response().getCountBetweenValues(STALL_MICROS / 2, Long.MAX_VALUE);
    assertThat(closed.mode().label()).isEqualTo("closed-loop, 2 callers (coordinated omission not corrected)");
    assertThat(closed.response().getMaxValue()).as("the stall happened").isGreaterThanOrEqualTo(STALL_MICROS * 9 / 10);
    // Only the request each caller had out when a stall began saw it: far under 1% of the samples.
    assertThat((double) stalled / closed.response().getTotalCount()).isLessThan(0.005);
    assertThat(closed.response().getValueAtPercentile(99)).isLessThan(STALL_MICROS / 2);
  }
}
