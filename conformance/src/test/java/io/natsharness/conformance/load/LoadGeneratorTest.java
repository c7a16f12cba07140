package io.natsharness.conformance.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.natsharness.conformance.load.generate.IntervalListener;
import io.natsharness.conformance.load.requests.LoadRequests;
import io.natsharness.conformance.load.transport.EchoResponder;
import io.natsharness.conformance.load.transport.Endpoints;
import io.natsharness.conformance.load.transport.TransportKind;
import io.natsharness.harness.Backend;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.harness.NatsHarnessTest;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.util.settings.v1.GetRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The generator's counts and bounds, on a real nats-server with a raw echo (or none). */
@NatsHarnessTest(redis = false, backend = Backend.EMBEDDED)
@DisplayName("LoadGenerator: counts and bounds")
class LoadGeneratorTest {

  private static final LoadRequests REQUESTS = LoadRequests.of(
      ServiceCatalog.load().method("svc.util.settings.v1.get").orElseThrow(),
      List.of(GetRequest.newBuilder().setKey("audio.volume").build()), "fixed");

  private static LoadResult run(HarnessRuntimeInfo info, String subject, LoadPlan plan, IntervalListener listener)
      throws Exception {
    try (LocalExecutor executor = new LocalExecutor(new Endpoints(info::natsOptions, Optional.empty(), Optional.empty(),
        subject))) {
      return executor.run(new Phase(REQUESTS, TransportKind.RAW, plan), listener);
    }
  }

  @Test
  @DisplayName("warm-up requests are counted apart and never reach the histograms")
  void warmupExcluded(HarnessRuntimeInfo info) throws Exception {
    String subject = EchoResponder.newSubject();
    try (EchoResponder echo = EchoResponder.start(info.natsOptions(), subject)) {
      LoadResult r = run(info, subject, LoadPlan.builder().withRate(RateProfile.constant(400))
          .withWarmup(Duration.ofMillis(500)).withDuration(Duration.ofMillis(500)).build(), IntervalListener.NONE);

      assertThat(r.counts().warmup()).isEqualTo(200);
      assertThat(r.counts().sent()).isEqualTo(200);
      assertThat(r.response().getTotalCount()).isEqualTo(r.counts().answered()).isEqualTo(200);
      assertThat(r.counts().errors()).isEmpty();
    }
  }

  @Test
  @DisplayName("the run stops at its request bound, long before its duration")
  void boundedInCount(HarnessRuntimeInfo info) throws Exception {
    String subject = EchoResponder.newSubject();
    try (EchoResponder echo = EchoResponder.start(info.natsOptions(), subject)) {
      LoadResult r = run(info, subject, LoadPlan.builder().withRate(RateProfile.constant(1_000)).withWarmup(Duration.ZERO)
          .withDuration(Duration.ofMinutes(10)).withMaxRequests(150).build(), IntervalListener.NONE);

      assertThat(r.counts().sent()).isEqualTo(150);
      assertThat(r.counts().ok()).isEqualTo(150);
      assertThat(r.achievedRate()).isGreaterThan(0);
    }
  }

  @Test
  @DisplayName("requests nobody answers are errors by code, with no latency recorded")
  void noResponders(HarnessRuntimeInfo info) throws Exception {
    LoadResult r = run(info, "nobody.listens.here", LoadPlan.builder().withRate(RateProfile.constant(200))
        .withWarmup(Duration.ZERO).withDuration(Duration.ofMillis(500)).build(), IntervalListener.NONE);

    assertThat(r.counts().sent()).isEqualTo(100);
    assertThat(r.counts().ok()).isZero();
    assertThat(r.counts().errors()).isEqualTo(Map.of("UNAVAILABLE", 100L));
    assertThat(r.errorRate()).isEqualTo(1.0);
  }

  @Test
  @DisplayName("a responder that never answers costs each request its timeout, then an error; the run ends")
  void silentResponder(HarnessRuntimeInfo info) throws Exception {
    try (Connection silent = Nats.connect(info.natsOptions().build())) {
      silent.createDispatcher(m -> { }).subscribe("silent.service");
      silent.flush(Duration.ofSeconds(5));
      LoadResult r = run(info, "silent.service", LoadPlan.builder().withRate(RateProfile.constant(100))
          .withWarmup(Duration.ZERO).withDuration(Duration.ofMillis(300)).withTimeout(Duration.ofMillis(300)).build(),
          IntervalListener.NONE);

      assertThat(r.counts().sent()).isEqualTo(30);
      assertThat(r.counts().answered()).isZero();
      assertThat(r.response().getTotalCount()).isZero();
      assertThat(r.counts().errors()).isEqualTo(Map.of("DEADLINE_EXCEEDED", 30L));
    }
  }

  @Test
  @DisplayName("intervals are cut as the run goes and add up to its totals")
  void intervalsAddUp(HarnessRuntimeInfo info) throws Exception {
    String subject = EchoResponder.newSubject();
    List<Long> answered = new ArrayList<>();
    try (EchoResponder echo = EchoResponder.start(info.natsOptions(), subject)) {
      LoadResult r = run(info, subject, LoadPlan.builder().withRate(RateProfile.constant(300)).withWarmup(Duration.ZERO)
          .withDuration(Duration.ofSeconds(1)).withInterval(Duration.ofMillis(200)).build(),
          i -> answered.add(i.response().getTotalCount()));

      assertThat(answered.size()).isGreaterThanOrEqualTo(4);
      assertThat(answered.stream().mapToLong(Long::longValue).sum()).isEqualTo(r.response().getTotalCount()).isEqualTo(300);
    }
  }
}
