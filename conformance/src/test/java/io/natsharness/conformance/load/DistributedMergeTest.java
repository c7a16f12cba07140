package io.natsharness.conformance.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.natsharness.conformance.load.distributed.Coordinator;
import io.natsharness.conformance.load.distributed.RemoteEndpoints;
import io.natsharness.conformance.load.distributed.WorkerCommand;
import io.natsharness.conformance.load.generate.IntervalListener;
import io.natsharness.conformance.load.generate.Tally;
import io.natsharness.conformance.load.requests.LoadRequests;
import io.natsharness.conformance.load.transport.EchoResponder;
import io.natsharness.conformance.load.transport.TransportKind;
import io.natsharness.harness.Backend;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.harness.NatsHarnessTest;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.util.settings.v1.GetRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Two generator processes (real JVMs) under a coordinator over NATS: the merged histogram equals
 * one histogram of every sample the two recorded (each writes its samples to a file as well).
 */
@NatsHarnessTest(redis = false, backend = Backend.EMBEDDED)
@DisplayName("Distributed load: two generator processes, one merged report")
class DistributedMergeTest {

  private static final String PREFIX = "nh.load.test";
  private static final List<Process> WORKERS = new ArrayList<>();
  private static final List<Path> SAMPLE_LOGS = new ArrayList<>();
  private static LoadResult merged;
  private static List<String> workerNames;

  @BeforeAll
  static void runTwoWorkers(HarnessRuntimeInfo info) throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "load-merge-test"));
    for (String id : List.of("w1", "w2")) {
      Path log = dir.resolve(id + ".samples");
      Files.deleteIfExists(log);
      SAMPLE_LOGS.add(log);
      WORKERS.add(new ProcessBuilder(javaBin(), "-Xmx128m", "-cp", classPath(), WorkerCommand.class.getName(),
          "--control", info.natsUrl(), "--id", id, "--prefix", PREFIX, "--sample-log", log.toString(), "--wait", "90")
          .redirectErrorStream(true).redirectOutput(dir.resolve(id + ".log").toFile()).start());
    }
    LoadRequests requests = LoadRequests.of(ServiceCatalog.load().method("svc.util.settings.v1.get").orElseThrow(),
        List.of(GetRequest.newBuilder().setKey("audio.volume").build()), "fixed");
    LoadPlan plan = LoadPlan.builder().withRate(RateProfile.constant(600)).withWarmup(Duration.ofMillis(500))
        .withDuration(Duration.ofSeconds(2)).withInterval(Duration.ofMillis(500)).build();
    String echo = EchoResponder.newSubject();
    try (Connection control = Nats.connect(info.natsOptions().build());
         EchoResponder responder = EchoResponder.start(info.natsOptions(), echo);
         Coordinator coordinator = Coordinator.await(control, PREFIX, 2, Duration.ofSeconds(90),
             new RemoteEndpoints(info.natsUrl(), Optional.empty(), Optional.empty(), echo))) {
      workerNames = coordinator.workers();
      merged = coordinator.run(new Phase(requests, TransportKind.RAW, plan), IntervalListener.NONE);
    }
    for (Process p : WORKERS) {
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("worker exits after the run").isTrue();
      assertThat(p.exitValue()).isZero();
    }
  }

  @AfterAll
  static void stopWorkers() {
    WORKERS.forEach(Process::destroyForcibly);
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The test class path (surefire's own, not its booter jar, when it tells). */
  private static String classPath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
  }

  private static Histogram allSamples() throws Exception {
    Histogram all = Tally.newHistogram();
    for (Path log : SAMPLE_LOGS) {
      for (String line : Files.readAllLines(log)) {
        all.recordValue(Long.parseLong(line));
      }
    }
    return all;
  }

  @Test
  @DisplayName("the merged histogram equals one histogram of all samples of both processes")
  void mergedEqualsAllSamples() throws Exception {
    Histogram all = allSamples();

    assertThat(merged.generators()).isEqualTo(2);
    assertThat(all.getTotalCount()).isGreaterThan(0);
    assertThat(merged.response().getTotalCount()).isEqualTo(all.getTotalCount());
    assertThat(merged.response()).isEqualTo(all);
    assertThat(merged.response().getValueAtPercentile(99.9)).isEqualTo(all.getValueAtPercentile(99.9));
    assertThat(merged.counts().answered()).isEqualTo(all.getTotalCount());
  }

  @Test
  @DisplayName("each process generated its share of the rate")
  void eachProcessTookItsShare() throws Exception {
    assertThat(workerNames).containsExactlyInAnyOrder("w1", "w2");
    for (Path log : SAMPLE_LOGS) {
      // 300 req/s each for 2 s measured.
      assertThat(Files.readAllLines(log)).as(log.toString()).hasSizeBetween(450, 650);
    }
    assertThat(merged.counts().sent()).isBetween(1_100L, 1_201L);
  }

  @Nested
  @DisplayName("without workers")
  class WithoutWorkers {

    @Test
    @DisplayName("the coordinator gives up after its wait, saying how many came")
    void noWorkers(HarnessRuntimeInfo info) throws Exception {
      try (Connection control = Nats.connect(info.natsOptions().build())) {
        assertThatThrownBy(() -> Coordinator.await(control, "nh.load.nobody", 1, Duration.ofMillis(300),
            new RemoteEndpoints(info.natsUrl(), Optional.empty(), Optional.empty(), "echo")))
            .isInstanceOf(TimeoutException.class)
            .hasMessage("only 0 of 1 load workers announced themselves on nh.load.nobody.announce within 300 ms");
      }
    }
  }

}
