package io.natsharness.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.rpc.Code;
import io.natsharness.gateway.config.RouteSettings;
import io.natsharness.gateway.cutover.CutoverMode;
import io.natsharness.gateway.support.GatewayEnv;
import io.natsharness.gateway.support.Http;
import io.natsharness.gateway.support.LegacyHttp;
import io.natsharness.gateway.support.ScriptedLlm;
import io.natsharness.gateway.traffic.ObservationFile;
import io.natsharness.gateway.traffic.ObservationLine;
import io.natsharness.gateway.traffic.TrafficReader;
import io.natsharness.gateway.traffic.TrafficRecord;
import io.natsharness.harness.Backend;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.harness.NatsHarnessTest;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.diff.Answer;
import io.natsharness.proto.diff.Difference;
import io.natsharness.proto.diff.DifferenceKind;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@NatsHarnessTest(redis = false, backend = Backend.EMBEDDED)
@DisplayName("Gateway SHADOW files: the recording of mirrored requests and the observations of compared ones")
class GatewayShadowFilesTest {

  static final String EMBED = "svc.ai.llm.v1.embed";
  static final String GENERATION = "svc.ai.llm.v1.get_generation";
  static final String INFER = "svc.ai.llm.v1.infer";
  static final ServiceCatalog CATALOG = ServiceCatalog.load();

  static LegacyHttp legacy;
  static GatewayEnv env;
  static Http http;
  static Path dir;
  static Path recording;
  static Path observations;

  @BeforeAll
  static void start(HarnessRuntimeInfo info) throws Exception {
    dir = Files.createTempDirectory("gateway-shadow-files");
    recording = dir.resolve("recorded/traffic.ndjson");
    observations = dir.resolve("observed/observations.ndjson");
    legacy = LegacyHttp.start(new ScriptedLlm());
    env = GatewayEnv.create(info);
    env.serve(new ScriptedLlm(1000));
    env.gateway(c -> c.withLegacyUrl(legacy.uri())
        .withShadowRecordFile(recording)
        .withShadowObservationsFile(observations)
        .withRoute(EMBED, RouteSettings.none().withMode(CutoverMode.shadow()))
        .withRoute(GENERATION, RouteSettings.none().withMode(CutoverMode.shadow()))
        .withRoute(INFER, RouteSettings.none().withMode(CutoverMode.http())));
    http = env.http();
  }

  @AfterAll
  static void stop() throws Exception {
    env.close();
    legacy.close();
  }

  static void awaitCompared(String... requestIds) {
    await().atMost(Duration.ofSeconds(5)).until(() -> List.of(requestIds).stream()
        .allMatch(id -> env.shadows.stream().anyMatch(s -> s.requestId().equals(id))));
  }

  @Nested
  @DisplayName("shadow.record-file")
  class Recording {

    @Test
    @DisplayName("holds each mirrored request, read back by TrafficReader as sent; other modes are not recorded")
    void readBack() throws Exception {
      HttpResponse<String> embed = http.post("/v1/ai/llm/embed", "{\"text\":\"hi there\"}",
          "Nh-Request-Id", "rec-1", "Idempotency-Key", "key-1");
      HttpResponse<String> missing = http.get("/v1/ai/llm/generations/gen%2Dunknown", "Nh-Request-Id", "rec-2");
      HttpResponse<String> proxied = http.post("/v1/ai/llm/infer", "{\"prompt\":\"hello\"}", "Nh-Request-Id", "rec-3");
      assertThat(List.of(embed.statusCode(), missing.statusCode(), proxied.statusCode())).containsExactly(200, 404, 200);
      awaitCompared("rec-1", "rec-2");

      List<TrafficRecord> records = TrafficReader.read(recording).stream()
          .filter(r -> r.requestId().startsWith("rec-")).toList();
      assertThat(records).extracting(TrafficRecord::requestId).containsExactly("rec-1", "rec-2");
      TrafficRecord first = records.get(0);
      assertThat(List.of(first.method(), first.path(), first.query(), first.body()))
          .containsExactly("POST", "/v1/ai/llm/embed", "", "{\"text\":\"hi there\"}");
      assertThat(first.headers()).containsEntry("Content-Type", "application/json")
          .containsEntry("Idempotency-Key", "key-1").containsEntry("Nh-Request-Id", "rec-1");
      TrafficRecord second = records.get(1);
      assertThat(List.of(second.method(), second.path(), second.query(), second.body()))
          .containsExactly("GET", "/v1/ai/llm/generations/gen%2Dunknown", "", "");
    }
  }

  @Nested
  @DisplayName("shadow.observations-file")
  class Observations {

    @Test
    @DisplayName("holds one line per compared request: both answers and exactly the differing field")
    void lines() throws Exception {
      HttpResponse<String> embed = http.post("/v1/ai/llm/embed", "{\"text\":\"observed\"}", "Nh-Request-Id", "obs-1");
      HttpResponse<String> missing = http.get("/v1/ai/llm/generations/gen-gone", "Nh-Request-Id", "obs-2");
      assertThat(List.of(embed.statusCode(), missing.statusCode())).containsExactly(200, 404);
      awaitCompared("obs-1", "obs-2");
      await().atMost(Duration.ofSeconds(5)).until(() -> ObservationFile.read(observations, CATALOG).stream()
          .filter(o -> o.requestId().startsWith("obs-")).count() == 2);

      List<ObservationLine> lines = ObservationFile.read(observations, CATALOG).stream()
          .filter(o -> o.requestId().startsWith("obs-")).sorted(Comparator.comparing(ObservationLine::requestId)).toList();
      ObservationLine first = lines.get(0);
      assertThat(first.route()).isEqualTo(EMBED);
      assertThat(first.request()).isEqualTo("{\"text\":\"observed\"}");
      assertThat(first.primary()).isInstanceOf(Answer.Success.class);
      assertThat(first.candidate()).isInstanceOf(Answer.Success.class);
      assertThat(first.differences()).containsExactly(
          new Difference("model", DifferenceKind.VALUE, "\"atlas-small\"", "\"atlas-small-next\""));
      ObservationLine second = lines.get(1);
      assertThat(second.route()).isEqualTo(GENERATION);
      assertThat(List.of(second.primary().code(), second.candidate().code())).containsExactly(Code.NOT_FOUND, Code.NOT_FOUND);
      assertThat(second.differences()).isEmpty();
    }

    @Test
    @DisplayName("a damaged line is refused naming file and line")
    void damaged() throws Exception {
      Path file = dir.resolve("damaged.ndjson");
      Files.writeString(file, "\n{\"v\":1,\"route\":\"svc.nowhere.v1.x\"}\n");
      assertThatThrownBy(() -> ObservationFile.read(file, CATALOG)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage(file + ":2: \"route\" svc.nowhere.v1.x is no method of the catalog");
    }
  }
}
