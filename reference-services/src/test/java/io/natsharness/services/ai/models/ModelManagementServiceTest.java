package io.natsharness.services.ai.models;

import static io.natsharness.services.game.kit.Rpc.expect;
import static io.natsharness.services.game.kit.Rpc.expectInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import io.nats.client.Connection;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.harness.NatsHarnessTest;
import io.natsharness.proto.ai.models.v1.GetRequest;
import io.natsharness.proto.ai.models.v1.ListRequest;
import io.natsharness.proto.ai.models.v1.ListResponse;
import io.natsharness.proto.ai.models.v1.Model;
import io.natsharness.proto.ai.models.v1.ModelRegistered;
import io.natsharness.proto.ai.models.v1.ModelStatus;
import io.natsharness.proto.ai.models.v1.ModelStatusChanged;
import io.natsharness.proto.ai.models.v1.RegisterRequest;
import io.natsharness.proto.ai.models.v1.SetStatusRequest;
import io.natsharness.proto.common.v1.Money;
import io.natsharness.proto.common.v1.PageRequest;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.services.game.kit.Concurrently;
import io.natsharness.services.game.kit.EventLog;
import io.natsharness.services.game.kit.HostedServices;
import io.natsharness.services.game.kit.Rpc;
import java.util.ArrayList;
import java.util.List;
import io.natsharness.services.game.kit.DualStack;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@NatsHarnessTest
@DisplayName("model_management")
class ModelManagementServiceTest {

  private static HostedServices hosted;
  private Rpc models;

  @BeforeAll
  static void start(HarnessRuntimeInfo info) {
    hosted = HostedServices.start(info, "model_management");
  }

  @AfterAll
  static void stop() {
    hosted.close();
  }

  @BeforeEach
  void client(RpcClient client) {
    models = new Rpc(client, "model_management");
  }

  static RegisterRequest model(String name, String... capabilities) {
    return RegisterRequest.newBuilder()
        .setName(name)
        .setVersion("1.0.0")
        .addAllCapabilities(List.of(capabilities))
        .setContextWindow(8192)
        .setCostPer1KTokens(Money.newBuilder().setCurrency("USD").setMinorUnits(3))
        .setLatencyMs(100)
        .build();
  }

  private Model get(String name, String version) {
    return models.call("get", GetRequest.newBuilder().setName(name).setVersion(version).build());
  }

  private Model setStatus(String name, ModelStatus status) {
    return models.call("set_status", SetStatusRequest.newBuilder().setName(name).setVersion("1.0.0").setStatus(status).build());
  }

  @Nested
  @DisplayName("seeding")
  class Seeding {

    @Test
    @DisplayName("holds the three models ai_integration serves, ACTIVE, as the proto documents them")
    void seeded() {
      Model small = get("atlas-small", "1.0.0");
      Model medium = get("atlas-medium", "1.0.0");
      Model large = get("atlas-large", "1.0.0");

      assertThat(small.getCapabilitiesList()).containsExactly("chat", "embed");
      assertThat(small.getContextWindow()).isEqualTo(4096);
      assertThat(small.getCostPer1KTokens()).isEqualTo(Money.newBuilder().setCurrency("USD").setMinorUnits(1).build());
      assertThat(small.getLatencyMs()).isEqualTo(50);
      assertThat(medium.getCapabilitiesList()).containsExactly("chat", "embed", "reasoning");
      assertThat(medium.getCostPer1KTokens().getMinorUnits()).isEqualTo(5);
      assertThat(large.getCapabilitiesList()).containsExactly("chat", "reasoning", "code", "long_context");
      assertThat(large.getContextWindow()).isEqualTo(131072);
      assertThat(large.getLatencyMs()).isEqualTo(400);
      assertThat(List.of(small, medium, large)).allSatisfy(m -> {
        assertThat(m.getStatus()).isEqualTo(ModelStatus.ACTIVE);
        assertThat(m.getMeta().getVersion()).isEqualTo(1);
      });
    }

    @Test
    @DisplayName("publishes no events")
    void noEvents(Connection nats) throws Exception {
      assertThat(EventLog.read(nats, "model_management", "model_registered", hosted.prefix(), ModelRegistered.parser()))
          .noneMatch(e -> e.payload().getModel().getName().startsWith("atlas-"));
    }

    @Test
    @DisplayName("leaves existing models alone on a restart, and state survives it")
    void restart(RpcClient client) {
      models.call("register", model("survivor", "chat"));
      setStatus("survivor", ModelStatus.DEPRECATED);
      Model seededBefore = get("atlas-small", "1.0.0");

      hosted.restart();

      Rpc after = new Rpc(client, "model_management");
      Model survivor = after.call("get", GetRequest.newBuilder().setName("survivor").setVersion("1.0.0").build());
      assertThat(survivor.getStatus()).isEqualTo(ModelStatus.DEPRECATED);
      assertThat((Model) after.call("get", GetRequest.newBuilder().setName("atlas-small").setVersion("1.0.0").build()))
          .isEqualTo(seededBefore);
    }
  }

  @Nested
  @DisplayName("register")
  class Register {

    @Test
    @DisplayName("stores an ACTIVE model at version 1 that get returns")
    void registers() {
      Model m = models.call("register", model("reg-basic", "chat", "code").toBuilder().setDescription("d").build());

      assertThat(m.getStatus()).isEqualTo(ModelStatus.ACTIVE);
      assertThat(m.getMeta().getVersion()).isEqualTo(1);
      assertThat(m.getCapabilitiesList()).containsExactly("chat", "code");
      assertThat(get("reg-basic", "1.0.0")).isEqualTo(m);
    }

    @Test
    @DisplayName("publishes model_registered once")
    void event(Connection nats) throws Exception {
      Model m = models.call("register", model("reg-event", "chat"));

      assertThat(EventLog.read(nats, "model_management", "model_registered", hosted.prefix(), ModelRegistered.parser()))
          .filteredOn(e -> e.payload().getModel().getName().equals("reg-event"))
          .singleElement()
          .satisfies(e -> {
            assertThat(e.id()).isEqualTo("model_registered:reg-event@1.0.0");
            assertThat(e.payload().getModel()).isEqualTo(m);
          });
    }

    @Test
    @DisplayName("answers ALREADY_EXISTS for a registered (name, version), whatever its status")
    void duplicate() {
      models.call("register", model("reg-dup", "chat"));
      setStatus("reg-dup", ModelStatus.DEPRECATED);

      expect(() -> models.call("register", model("reg-dup", "code")), Code.ALREADY_EXISTS,
          "model reg-dup@1.0.0 is already registered");
    }

    @Test
    @DisplayName("registers two versions of one name")
    void versions() {
      models.call("register", model("reg-two", "chat"));
      Model v2 = models.call("register", model("reg-two", "chat").toBuilder().setVersion("2.0.0").build());

      assertThat(v2.getVersion()).isEqualTo("2.0.0");
    }

    @Test
    @DisplayName("refuses a malformed name")
    void malformedName() {
      expectInvalid(() -> models.call("register", model("Bad Name", "chat")), "name",
          "must be 1-64 chars of [a-z0-9._-], starting with a letter or digit, got 'Bad Name'");
    }

    @Test
    @DisplayName("refuses an empty version")
    void emptyVersion() {
      expectInvalid(() -> models.call("register", model("x", "chat").toBuilder().setVersion("").build()),
          "version", "is required");
    }

    @Test
    @DisplayName("refuses a model without capabilities")
    void noCapabilities() {
      expectInvalid(() -> models.call("register", model("x")), "capabilities", "at least one capability is required");
    }

    @Test
    @DisplayName("refuses an empty capability")
    void emptyCapability() {
      expectInvalid(() -> models.call("register", model("x", "chat", "")), "capabilities[1]", "is required");
    }

    @Test
    @DisplayName("refuses a duplicate capability")
    void duplicateCapability() {
      expectInvalid(() -> models.call("register", model("x", "chat", "chat")), "capabilities[1]",
          "duplicate capability 'chat'");
    }

    @Test
    @DisplayName("refuses a context window outside [1, 1048576]")
    void contextWindow() {
      expectInvalid(() -> models.call("register", model("x", "chat").toBuilder().setContextWindow(0).build()),
          "context_window", "must be in [1, 1048576], got 0");
    }

    @Test
    @DisplayName("refuses a missing cost")
    void missingCost() {
      expectInvalid(() -> models.call("register", model("x", "chat").toBuilder().clearCostPer1KTokens().build()),
          "cost_per_1k_tokens", "is required");
    }

    @Test
    @DisplayName("refuses a cost without currency")
    void costWithoutCurrency() {
      expectInvalid(() -> models.call("register", model("x", "chat").toBuilder()
              .setCostPer1KTokens(Money.newBuilder().setMinorUnits(3)).build()),
          "cost_per_1k_tokens.currency", "is required");
    }

    @Test
    @DisplayName("refuses a negative cost")
    void negativeCost() {
      expectInvalid(() -> models.call("register", model("x", "chat").toBuilder()
              .setCostPer1KTokens(Money.newBuilder().setCurrency("USD").setMinorUnits(-1)).build()),
          "cost_per_1k_tokens.minor_units", "must be >= 0, got -1");
    }

    @Test
    @DisplayName("refuses a negative latency")
    void negativeLatency() {
      expectInvalid(() -> models.call("register", model("x", "chat").toBuilder().setLatencyMs(-5).build()),
          "latency_ms", "must be >= 0, got -5");
    }
  }

  @Nested
  @DisplayName("get")
  class Get {

    @Test
    @DisplayName("answers NOT_FOUND for an unknown (name, version)")
    void unknown() {
      expect(() -> get("atlas-small", "9.9.9"), Code.NOT_FOUND, "model atlas-small@9.9.9 not found");
    }

    @Test
    @DisplayName("refuses an empty name")
    void emptyName() {
      expectInvalid(() -> get("", "1.0.0"), "name", "is required");
    }
  }

  @Nested
  @DisplayName("list")
  class ListModels {

    @Test
    @DisplayName("orders by name then version, filters by every capability given, and pages with opaque tokens")
    void pages() {
      for (String name : List.of("lp-c", "lp-a", "lp-b")) {
        models.call("register", model(name, "list-paging", "chat"));
      }
      models.call("register", model("lp-a", "list-paging").toBuilder().setVersion("0.9").build());
      models.call("register", model("lp-z", "list-paging-other"));

      List<String> seen = new ArrayList<>();
      List<String> tokens = new ArrayList<>();
      String token = "";
      do {
        ListResponse page = models.call("list", ListRequest.newBuilder().addCapabilities("list-paging")
            .setPage(PageRequest.newBuilder().setPageSize(3).setPageToken(token)).build());
        page.getModelsList().forEach(m -> seen.add(m.getName() + "@" + m.getVersion()));
        token = page.getPage().getNextPageToken();
        tokens.add(token);
      } while (!token.isEmpty());

      assertThat(seen).containsExactly("lp-a@0.9", "lp-a@1.0.0", "lp-b@1.0.0", "lp-c@1.0.0");
      assertThat(tokens).hasSize(2);
    }

    @Test
    @DisplayName("filters by status")
    void byStatus() {
      models.call("register", model("ls-active", "list-status"));
      models.call("register", model("ls-deprecated", "list-status"));
      setStatus("ls-deprecated", ModelStatus.DEPRECATED);

      ListResponse deprecated = models.call("list", ListRequest.newBuilder().addCapabilities("list-status")
          .setStatus(ModelStatus.DEPRECATED).build());
      ListResponse any = models.call("list", ListRequest.newBuilder().addCapabilities("list-status").build());

      assertThat(deprecated.getModelsList()).extracting(Model::getName).containsExactly("ls-deprecated");
      assertThat(any.getModelsList()).extracting(Model::getName).containsExactly("ls-active", "ls-deprecated");
      assertThat(any.getPage().getNextPageToken()).isEmpty();
    }

    @Test
    @DisplayName("refuses a page_size above 100")
    void pageSizeTooLarge() {
      expectInvalid(() -> models.call("list", ListRequest.newBuilder()
          .setPage(PageRequest.newBuilder().setPageSize(101)).build()), "page.page_size", "must be in [0, 100], got 101");
    }

    @Test
    @DisplayName("refuses a negative page_size")
    void pageSizeNegative() {
      expectInvalid(() -> models.call("list", ListRequest.newBuilder()
          .setPage(PageRequest.newBuilder().setPageSize(-1)).build()), "page.page_size", "must be in [0, 100], got -1");
    }

    @Test
    @DisplayName("refuses a page_token it did not issue")
    void forgedToken() {
      expectInvalid(() -> models.call("list", ListRequest.newBuilder()
              .setPage(PageRequest.newBuilder().setPageToken("bm90LWEtdG9rZW4")).build()),
          "page.page_token", "was not issued by this method for these filters");
    }

    @Test
    @DisplayName("refuses a token issued for other filters")
    void tokenOfOtherFilters() {
      ListResponse first = models.call("list", ListRequest.newBuilder().setPage(PageRequest.newBuilder().setPageSize(1)).build());
      String token = first.getPage().getNextPageToken();

      expectInvalid(() -> models.call("list", ListRequest.newBuilder().addCapabilities("chat")
              .setPage(PageRequest.newBuilder().setPageSize(1).setPageToken(token)).build()),
          "page.page_token", "was not issued by this method for these filters");
    }
  }

  @Nested
  @DisplayName("set_status")
  class SetStatus {

    @Test
    @DisplayName("moves ACTIVE -> DEPRECATED -> RETIRED, one version per move")
    void lifecycle() {
      models.call("register", model("st-life", "chat"));

      Model deprecated = setStatus("st-life", ModelStatus.DEPRECATED);
      Model retired = setStatus("st-life", ModelStatus.RETIRED);

      assertThat(deprecated.getStatus()).isEqualTo(ModelStatus.DEPRECATED);
      assertThat(deprecated.getMeta().getVersion()).isEqualTo(2);
      assertThat(retired.getStatus()).isEqualTo(ModelStatus.RETIRED);
      assertThat(retired.getMeta().getVersion()).isEqualTo(3);
      assertThat(get("st-life", "1.0.0")).isEqualTo(retired);
    }

    @Test
    @DisplayName("refuses to skip a step")
    void skip() {
      models.call("register", model("st-skip", "chat"));

      RpcException e = expect(() -> setStatus("st-skip", ModelStatus.RETIRED), Code.FAILED_PRECONDITION,
          "model st-skip@1.0.0 cannot move from ACTIVE to RETIRED: only ACTIVE -> DEPRECATED -> RETIRED, one step at a time");
      assertThat(e.errorDetail().orElseThrow().getReason()).isEqualTo("ILLEGAL_STATUS_CHANGE");
    }

    @Test
    @DisplayName("refuses to go back")
    void back() {
      models.call("register", model("st-back", "chat"));
      setStatus("st-back", ModelStatus.DEPRECATED);

      expect(() -> setStatus("st-back", ModelStatus.ACTIVE), Code.FAILED_PRECONDITION,
          "model st-back@1.0.0 cannot move from DEPRECATED to ACTIVE: only ACTIVE -> DEPRECATED -> RETIRED, one step at a time");
    }

    @Test
    @DisplayName("refuses the status the model already has")
    void same() {
      models.call("register", model("st-same", "chat"));

      expect(() -> setStatus("st-same", ModelStatus.ACTIVE), Code.FAILED_PRECONDITION,
          "model st-same@1.0.0 cannot move from ACTIVE to ACTIVE: only ACTIVE -> DEPRECATED -> RETIRED, one step at a time");
    }

    @Test
    @DisplayName("refuses status UNSPECIFIED")
    void unspecified() {
      expectInvalid(() -> setStatus("atlas-small", ModelStatus.MODEL_STATUS_UNSPECIFIED), "status",
          "must be ACTIVE, DEPRECATED or RETIRED");
    }

    @Test
    @DisplayName("answers NOT_FOUND for an unknown model")
    void unknown() {
      expect(() -> setStatus("st-nobody", ModelStatus.DEPRECATED), Code.NOT_FOUND, "model st-nobody@1.0.0 not found");
    }

    @Test
    @DisplayName("lets exactly one of many concurrent identical moves win, with one event")
    void concurrentMoves(Connection nats) throws Exception {
      models.call("register", model("st-race", "chat"));

      Concurrently.Outcomes<Model> outcomes = Concurrently.run(12, i -> setStatus("st-race", ModelStatus.DEPRECATED));

      assertThat(outcomes.successes()).singleElement()
          .satisfies(m -> assertThat(m.getMeta().getVersion()).isEqualTo(2));
      assertThat(outcomes.failures()).hasSize(11).allSatisfy(e -> assertThat(e.code()).isEqualTo(Code.FAILED_PRECONDITION));
      assertThat(EventLog.read(nats, "model_management", "model_status_changed", hosted.prefix(), ModelStatusChanged.parser()))
          .filteredOn(e -> e.payload().getName().equals("st-race"))
          .singleElement()
          .satisfies(e -> {
            assertThat(e.id()).isEqualTo("model_status_changed:st-race@1.0.0:2");
            assertThat(e.payload()).isEqualTo(ModelStatusChanged.newBuilder().setName("st-race").setVersion("1.0.0")
                .setPreviousStatus(ModelStatus.ACTIVE).setStatus(ModelStatus.DEPRECATED).setModelVersion(2).build());
          });
    }
  }

  @Nested
  @DisplayName("over HTTP and NATS")
  class DualStackAnswers {

    private DualStack dual(RpcClient client) {
      return new DualStack(hosted.host().httpUrl(), client);
    }

    @Test
    @DisplayName("register answers the same for twin models")
    void register(RpcClient client) {
      dual(client).assertSame(models.method("register"), model("ds-nats-reg", "chat"), model("ds-http-reg", "chat"),
          Optional.empty(), s -> s.replace("ds-http", "ds-nats"));
    }

    @Test
    @DisplayName("get answers the same")
    void get(RpcClient client) {
      dual(client).assertSame(models.method("get"), GetRequest.newBuilder().setName("atlas-large").setVersion("1.0.0").build());
    }

    @Test
    @DisplayName("list answers the same page and token")
    void list(RpcClient client) {
      dual(client).assertSame(models.method("list"), ListRequest.newBuilder().addCapabilities("chat")
          .setPage(PageRequest.newBuilder().setPageSize(2)).build());
    }

    @Test
    @DisplayName("set_status answers the same for twin models")
    void setStatus(RpcClient client) {
      models.call("register", model("ds-nats-st", "chat"));
      models.call("register", model("ds-http-st", "chat"));
      dual(client).assertSame(models.method("set_status"),
          SetStatusRequest.newBuilder().setName("ds-nats-st").setVersion("1.0.0").setStatus(ModelStatus.DEPRECATED).build(),
          SetStatusRequest.newBuilder().setName("ds-http-st").setVersion("1.0.0").setStatus(ModelStatus.DEPRECATED).build(),
          Optional.empty(), s -> s.replace("ds-http", "ds-nats"));
    }
  }
}
