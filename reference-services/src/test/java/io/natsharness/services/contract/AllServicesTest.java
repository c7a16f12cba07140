package io.natsharness.services.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.Code;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.nats.client.Connection;
import io.nats.client.Subscription;
import io.nats.service.Discovery;
import io.nats.service.Endpoint;
import io.nats.service.InfoResponse;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.harness.NatsHarnessTest;
import io.natsharness.proto.ai.llm.v1.InferRequest;
import io.natsharness.proto.ai.llm.v1.InferResponse;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.PopulatedMessages;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.catalog.ServiceInfo;
import io.natsharness.sdk.client.CallOptions;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.services.examples.QuickStart;
import io.natsharness.services.host.ReferenceHost;
import io.natsharness.services.testing.Answer;
import io.natsharness.services.testing.HttpTransport;
import io.natsharness.services.testing.NatsTransport;
import io.natsharness.services.testing.RedisSnapshot;
import io.natsharness.services.testing.TestHosts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every implemented service in one host: the ADR-32 discovery view, the same request answered
 * alike over HTTP and NATS for every method, and the quick start.
 */
@NatsHarnessTest
@DisplayName("all services in one host")
class AllServicesTest {

  private static final ServiceCatalog CATALOG = ServiceCatalog.load();
  /**
   * Answer fields that legitimately differ between two runs of the same request: the event bus
   * says a repeated event_id is a duplicate (the stream is not part of the Redis snapshot), and
   * auth's tokens carry a random id by contract.
   */
  private static final Map<String, List<String>> VARYING = Map.of(
      "infra.events.v1.PublishResponse", List.of("duplicate"),
      "infra.auth.v1.IssueTokenResponse", List.of("token", "claims"));

  private static ReferenceHost host;
  private static StatefulRedisConnection<byte[], byte[]> dumps;
  private static String prefix;

  @BeforeAll
  static void startHost(HarnessRuntimeInfo info, RedisClient redis) {
    List<String> names = TestHosts.implemented().stream().map(ServiceInfo::name).toList();
    // A fixed clock: two runs of one request from the same state must give the same answer.
    host = TestHosts.builder(info, String.join(",", names))
        .withClock(Clock.fixed(Instant.parse("2030-06-01T12:00:00Z"), ZoneOffset.UTC)).start();
    dumps = RedisSnapshot.connect(redis);
    prefix = info.implementationEnvironment().get("NH_KEY_PREFIX");
  }

  @AfterAll
  static void stopHost() {
    dumps.close();
    host.close();
  }

  @Nested
  @DisplayName("discovery")
  class DiscoveryView {

    @Test
    @DisplayName("$SRV.INFO lists the 22 services, each with one endpoint per catalog method in queue group q")
    void srvInfo(Connection nats) {
      List<InfoResponse> infos = new Discovery(nats, 2000, 100).info();
      Map<String, InfoResponse> byName = new HashMap<>();
      infos.forEach(i -> byName.put(i.getName(), i));
      assertThat(byName.keySet()).containsExactlyInAnyOrderElementsOf(
          CATALOG.services().stream().map(ServiceInfo::name).toList());
      for (ServiceInfo service : CATALOG.services()) {
        InfoResponse info = byName.get(service.name());
        assertThat(info.getVersion()).isEqualTo(service.version());
        assertThat(info.getEndpoints()).extracting(Endpoint::getSubject)
            .containsExactlyInAnyOrderElementsOf(service.methods().stream().map(MethodInfo::subject).toList());
        assertThat(info.getEndpoints()).extracting(Endpoint::getQueueGroup).containsOnly("q");
      }
    }
  }

  @Nested
  @DisplayName("dual stack")
  class DualStack {

    @TestFactory
    @DisplayName("the same request from the same state gets the same answer over HTTP and NATS")
    Stream<DynamicTest> sameAnswers(RpcClient client) {
      List<DynamicTest> tests = new ArrayList<>();
      // First a scenario of valid requests (state builds up, later steps use earlier answers) ...
      Map<String, String> answers = new HashMap<>();
      for (ScenarioStep step : ScenarioStep.load()) {
        String label = step.method().subject() + " (" + step.name() + ")";
        tests.add(DynamicTest.dynamicTest(label, () -> {
          Answer answer = compare(client, step.method(), step.request(answers), label);
          if (step.expectError().isPresent()) {
            assertThat(answer.error()).as("error of %s", label).hasValueSatisfying(e ->
                assertThat(Code.forNumber(e.getCode()).name()).isEqualTo(step.expectError().get()));
          } else {
            assertThat(answer.error()).as("error of %s", label).isEmpty();
          }
          if (answer.messages().size() == 1) {
            answers.put(step.name(), JsonFormat.printer().print(answer.messages().get(0)));
          }
        }));
      }
      // ... then, for every method, the empty request and one with every field set (mostly refused).
      for (ServiceInfo service : TestHosts.implemented()) {
        for (MethodInfo method : service.methods()) {
          Message empty = method.requestPrototype();
          Message populated = PopulatedMessages.populated(method.requestType(), method.subject().hashCode());
          for (Message request : List.of(empty, populated)) {
            if (!HttpTransport.routable(method, request)) {
              continue; // an empty path variable has no URL: HTTP cannot even ask
            }
            String label = method.subject() + (request == empty ? " (empty request)" : " (populated request)");
            tests.add(DynamicTest.dynamicTest(label, () -> compare(client, method, request, label)));
          }
        }
      }
      return tests.stream();
    }

    @Test
    @DisplayName("the scenario has a valid request of every method of the catalog")
    void everyMethodCovered() {
      List<String> covered = ScenarioStep.load().stream().map(s -> s.method().subject()).toList();
      assertThat(covered).containsAll(CATALOG.methods().stream().map(MethodInfo::subject).toList());
    }

    private Answer compare(RpcClient client, MethodInfo method, Message request, String label) {
      String key = "dual-" + Integer.toHexString(label.hashCode());
      Duration timeout = method.serverStreaming() ? Duration.ofMillis(1500) : Duration.ofSeconds(10);
      RedisSnapshot before = RedisSnapshot.take(dumps, prefix);
      Answer overNats = new NatsTransport(client).call(method, request,
          CallOptions.builder().idempotencyKey(key).timeout(timeout).build());
      before.restore(dumps, prefix);
      Answer overHttp = new HttpTransport(host.httpUrl()).call(method, request, Map.of("Idempotency-Key", key,
          "Nh-Deadline", Long.toString(System.currentTimeMillis() + timeout.toMillis())));
      assertThat(overHttp.error()).as("error of %s", label).isEqualTo(overNats.error());
      assertThat(content(overHttp)).as("answer of %s", label).isEqualTo(content(overNats));
      return overNats;
    }
  }

  @Nested
  @DisplayName("service-to-service hops from the HTTP side")
  class HopsFromHttp {

    @Test
    @DisplayName("carry the HTTP request's trace and deadline to the next service")
    void propagate(Connection nats) throws Exception {
      Subscription spy = nats.subscribe("svc.ai.llm.v1.infer");
      nats.flush(Duration.ofSeconds(2));
      String traceId = "0af7651916cd43dd8448eb211c80319c";
      long deadline = System.currentTimeMillis() + 8000;
      Answer answer = new HttpTransport(host.httpUrl()).call(CATALOG.method("svc.ai.router.v1.infer").orElseThrow(),
          io.natsharness.proto.ai.router.v1.InferRequest.newBuilder().setTask("hop_check").setPrompt("Hello").build(),
          Map.of("traceparent", "00-" + traceId + "-b7ad6b7169203331-01", "Nh-Deadline", Long.toString(deadline)));
      assertThat(answer.error()).isEmpty();
      io.nats.client.Message hop = spy.nextMessage(Duration.ofSeconds(5));
      assertThat(hop).as("ai_router's call to ai_integration").isNotNull();
      assertThat(hop.getHeaders().getFirst("traceparent")).startsWith("00-" + traceId + "-");
      assertThat(Long.parseLong(hop.getHeaders().getFirst("Nh-Deadline"))).isEqualTo(deadline);
      spy.unsubscribe();
    }
  }

  @Nested
  @DisplayName("the quick start")
  class QuickStartExample {

    @Test
    @DisplayName("prints the generation of svc.ai.llm.v1.infer as the seed shows it")
    void printsTheAnswer(HarnessRuntimeInfo info, RpcClient client) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code = QuickStart.run(info.natsUrl(), new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8));
      assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
      assertThat(code).isZero();
      InferResponse expected = client.call(QuickStart.SUBJECT, InferRequest.newBuilder().setPrompt(QuickStart.PROMPT).build());
      assertThat(out.toString(StandardCharsets.UTF_8).split("\n")).containsExactly(
          "Connected to NATS",
          "Sending request to svc.ai.llm.v1.infer",
          "Generation ID: " + expected.getGenerationId(),
          "Output: " + expected.getOutput(),
          "Tokens used: " + expected.getTokensUsed(),
          "Finish reason: " + expected.getFinishReason().name().toLowerCase(java.util.Locale.ROOT));
      assertThat(expected.getGenerationId()).startsWith("gen-");
    }
  }

  /**
   * The messages to compare: without the fields that vary by contract, and without empty stream
   * messages (heartbeats of watch_region and pull_commands: how many fit before the deadline is
   * timing, not content).
   */
  private static List<Message> content(Answer answer) {
    return answer.messages().stream()
        .filter(m -> !m.equals(m.getDefaultInstanceForType()))
        .map(AllServicesTest::withoutVarying)
        .toList();
  }

  private static Message withoutVarying(Message message) {
    List<String> fields = VARYING.get(message.getDescriptorForType().getFullName());
    if (fields == null) {
      return message;
    }
    Message.Builder builder = message.toBuilder();
    for (String name : fields) {
      FieldDescriptor field = message.getDescriptorForType().findFieldByName(name);
      builder.clearField(field);
    }
    return builder.build();
  }
}
