package io.natsharness.conformance.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.Code;
import io.natsharness.conformance.check.Check;
import io.natsharness.conformance.contract.kit.ContractCheck;
import io.natsharness.conformance.contract.kit.ContractChecks;
import io.natsharness.conformance.contract.kit.EventSpy;
import io.natsharness.conformance.contract.kit.HopSpy;
import io.natsharness.conformance.contract.kit.Rpc;
import io.natsharness.conformance.contract.kit.Trace;
import io.natsharness.conformance.runner.CheckResult;
import io.natsharness.conformance.runner.CheckRunner;
import io.natsharness.conformance.runner.CheckStatus;
import io.natsharness.conformance.runner.ConsoleProgress;
import io.natsharness.conformance.runner.RunResult;
import io.natsharness.conformance.target.HarnessTarget;
import io.natsharness.conformance.target.TargetContext;
import io.natsharness.harness.Backend;
import io.natsharness.harness.Implementation;
import io.natsharness.proto.ai.llm.v1.EmbedRequest;
import io.natsharness.proto.ai.llm.v1.InferRequest;
import io.natsharness.proto.ai.models.v1.ModelRegistered;
import io.natsharness.proto.ai.models.v1.RegisterRequest;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.catalog.ServiceInfo;
import io.natsharness.proto.common.v1.Money;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@DisplayName("The contract checks of the ai, game and infra services")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AiGameInfraContractsTest {

  private static final ServiceCatalog CATALOG = ServiceCatalog.load();
  private static final Set<String> DOMAINS = Set.of("ai", "game", "infra");

  private HarnessTarget target;
  private TargetContext context;

  @BeforeAll
  void start() throws Exception {
    target = HarnessTarget.start(Backend.EMBEDDED, Implementation.provider("reference")
        .services(AiGameInfraContracts.servicesCalled().toArray(String[]::new)), Optional.empty(), System.out);
    context = new TargetContext(target, "t" + Long.toString(System.currentTimeMillis(), 36), Duration.ofSeconds(5));
  }

  @AfterAll
  void stop() throws Exception {
    if (context != null) {
      context.close();
    }
    if (target != null) {
      target.close();
    }
  }

  private static List<ContractCheck> contractChecks() {
    return ContractCoverage.contractChecks(AiGameInfraContracts.checks());
  }

  @Nested
  @DisplayName("the registry")
  class Registry {

    @Test
    @DisplayName("covers every service of the ai, game and infra domains of the catalog")
    void coversTheDomains() {
      assertThat(AiGameInfraContracts.services()).containsExactlyInAnyOrderElementsOf(CATALOG.services().stream()
          .filter(s -> DOMAINS.contains(s.domain())).map(ServiceInfo::name).toList());
    }

    @Test
    @DisplayName("names every check contract.<service>.<method>.<behaviour>, once")
    void idsFollowTheConvention() {
      Set<String> ids = new HashSet<>();
      for (ContractCheck check : contractChecks()) {
        assertThat(check.id()).isEqualTo("contract." + check.service() + "." + check.method() + "."
            + check.id().substring(check.id().lastIndexOf('.') + 1));
        assertThat(CATALOG.service(check.service()).flatMap(s -> s.method(check.method()))).as(check.id()).isPresent();
        assertThat(check.description()).as("description of %s", check.id()).isNotBlank();
        assertThat(ids.add(check.id())).as("%s is unique", check.id()).isTrue();
      }
    }

    @Test
    @DisplayName("provokes every documented error code of every method, but the listed ones")
    void checksEveryDocumentedErrorCode() {
      assertThat(ContractCoverage.uncheckedErrorCodes(AiGameInfraContracts.services(), contractChecks()))
          .containsExactlyInAnyOrderElementsOf(AiGameInfraContracts.errorCodesNotChecked().keySet());
    }

    @Test
    @DisplayName("checks that an expired deadline has no effect on every method that is not a pure read")
    void checksExpiredDeadlinesOfMutatingMethods() {
      assertThat(ContractCoverage.mutatingWithoutDeadlineCheck(AiGameInfraContracts.services(), contractChecks()))
          .isEmpty();
    }

    @Test
    @DisplayName("refuses a check of an error code the method does not document")
    void refusesUndocumentedCodes() {
      assertThatThrownBy(() -> ContractChecks.forService("ai_integration")
          .error("embed", "exists", Code.ALREADY_EXISTS, "nonsense", ctx -> { }))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("svc.ai.llm.v1.embed does not document ALREADY_EXISTS (it documents [INVALID_ARGUMENT,"
              + " NOT_FOUND]): the check exists asks for something the contract never promised");
    }

    @Test
    @DisplayName("refuses a method the catalog does not have")
    void refusesUnknownMethods() {
      assertThatThrownBy(() -> ContractChecks.forService("auth").behaviour("login", "x", "nonsense", ctx -> { }))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("auth has no method 'login' in the catalog");
    }
  }

  @Nested
  @DisplayName("the kit, against the reference services")
  class KitBites {

    @Test
    @DisplayName("fails a call that succeeds where an error is expected")
    void failsUnexpectedSuccess() {
      Rpc llm = Rpc.of(context, "ai_integration");
      assertThatThrownBy(() -> llm.fails("embed", EmbedRequest.newBuilder().setText("hello").build(), Code.NOT_FOUND))
          .isInstanceOf(AssertionError.class)
          .hasMessage("svc.ai.llm.v1.embed succeeded where the contract says NOT_FOUND, for {text: \"hello\"}");
    }

    @Test
    @DisplayName("fails a call that answers another error code")
    void failsWrongCode() {
      Rpc llm = Rpc.of(context, "ai_integration");
      assertThatThrownBy(() -> llm.fails("embed", EmbedRequest.getDefaultInstance(), Code.NOT_FOUND))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("[Nh-Status header of reply on")
          .hasMessageContaining("to contain:\n  \"NOT_FOUND\"");
    }

    @Test
    @DisplayName("fails a call that answers an error where success is expected")
    void failsUnexpectedError() {
      Rpc llm = Rpc.of(context, "ai_integration");
      assertThatThrownBy(() -> llm.ok("infer", InferRequest.newBuilder().setPrompt("hi").setMaxTokens(-1).build()))
          .isInstanceOf(AssertionError.class)
          .hasMessageStartingWith("svc.ai.llm.v1.infer answered INVALID_ARGUMENT (")
          .hasMessageEndingWith(") to {prompt: \"hi\" max_tokens: -1}");
    }

    @Test
    @DisplayName("fails an INVALID_ARGUMENT that names another field")
    void failsWrongField() {
      Rpc llm = Rpc.of(context, "ai_integration");
      assertThatThrownBy(() -> llm.failsOn("infer", InferRequest.newBuilder().setPrompt("").build(), "max_tokens"))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("[fields named by the ErrorDetail of svc.ai.llm.v1.infer's INVALID_ARGUMENT (");
    }

    @Test
    @DisplayName("refuses to expect a code the method does not document")
    void refusesUndocumentedExpectation() {
      Rpc llm = Rpc.of(context, "ai_integration");
      assertThatThrownBy(() -> llm.fails("embed", EmbedRequest.getDefaultInstance(), Code.ALREADY_EXISTS))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("the check expects ALREADY_EXISTS from svc.ai.llm.v1.embed, which documents only"
              + " [INVALID_ARGUMENT, NOT_FOUND]");
    }

    @Test
    @DisplayName("fails a stream that ends with an error where chunks are expected")
    void failsErrorEndedStream() {
      Rpc llm = Rpc.of(context, "ai_integration");
      assertThatThrownBy(() -> llm.call("infer_stream").stream(InferRequest.getDefaultInstance(), Duration.ofSeconds(3))
          .chunks())
          .isInstanceOf(AssertionError.class)
          .hasMessageStartingWith("the stream of svc.ai.llm.v1.infer_stream ended with INVALID_ARGUMENT (")
          .hasMessageEndingWith(") after 0 chunks");
    }

    @Test
    @DisplayName("fails a stream that sends chunks where an error is expected")
    void failsStreamWithoutError() {
      Rpc llm = Rpc.of(context, "ai_integration");
      assertThatThrownBy(() -> llm.call("infer_stream").streamFails(InferRequest.newBuilder().setPrompt("hello")
          .setMaxTokens(3).build(), Code.NOT_FOUND))
          .isInstanceOf(AssertionError.class)
          .hasMessage("the stream of svc.ai.llm.v1.infer_stream began with a chunk where the contract says NOT_FOUND");
    }

    @Test
    @DisplayName("fails when the event of a change never comes")
    void failsMissingEvent() {
      try (EventSpy<ModelRegistered> events = EventSpy.on(context, "model_management", "model_registered")) {
        assertThatThrownBy(() -> events.awaitOne(e -> e.getModel().getName().equals("never-registered")))
            .isInstanceOf(AssertionError.class)
            .hasMessageContaining("[evt.ai.models.v1.model_registered events matching the change (none within 5000 ms)]");
      }
    }

    @Test
    @DisplayName("fails when one change is matched by two distinct events")
    void failsTwoEvents() {
      Rpc models = Rpc.of(context, "model_management");
      String prefix = context.unique("twin");
      try (EventSpy<ModelRegistered> events = EventSpy.on(context, "model_management", "model_registered")) {
        for (String suffix : List.of("-a", "-b")) {
          models.ok("register", RegisterRequest.newBuilder().setName(prefix + suffix).setVersion("1.0.0")
              .addCapabilities("chat").setContextWindow(10).setCostPer1KTokens(Money.newBuilder().setCurrency("USD")
                  .setMinorUnits(9)).build());
        }
        assertThatThrownBy(() -> events.awaitOne(e -> e.getModel().getName().startsWith(prefix)))
            .isInstanceOf(AssertionError.class)
            .hasMessageContaining("[distinct Nats-Msg-Id of the evt.ai.models.v1.model_registered events of one change]");
      }
    }

    @Test
    @DisplayName("fails when no hop carries the caller's trace")
    void failsMissingHop() {
      try (HopSpy hops = HopSpy.on(context, "svc.ai.llm.v1.infer")) {
        Trace trace = Trace.random();
        assertThatThrownBy(() -> hops.assertContinued(trace, Instant.now().plusSeconds(5)))
            .isInstanceOf(AssertionError.class)
            .hasMessageContaining("[requests on svc.ai.llm.v1.infer carrying the caller's trace id " + trace.traceId());
      }
    }

    @Test
    @DisplayName("fails a hop whose deadline is later than the caller's")
    void failsLateHopDeadline() {
      Rpc router = Rpc.of(context, "ai_router");
      try (HopSpy hops = HopSpy.on(context, "svc.ai.llm.v1.infer")) {
        Trace trace = Trace.random();
        router.call("infer").header("traceparent", trace.traceparent()).deadline(Instant.now().plusSeconds(4))
            .ok(io.natsharness.proto.ai.router.v1.InferRequest.newBuilder().setTask("chat")
                .addRequiredCapabilities("chat").setPrompt("hello").setMaxTokens(3).build());
        assertThatThrownBy(() -> hops.assertContinued(trace, Instant.now().minusSeconds(1)))
            .isInstanceOf(AssertionError.class)
            .hasMessageContaining("[Nh-Deadline of the hop on svc.ai.llm.v1.infer (the caller's is");
      }
    }
  }

  @Nested
  @DisplayName("against the reference services on the embedded backend")
  class AgainstReference {

    @Test
    @DisplayName("every check passes")
    void everyCheckPasses() {
      List<Check> checks = AiGameInfraContracts.checks();
      RunResult result = CheckRunner.builder().withListener(new ConsoleProgress(System.out)).build()
          .run("contract", target.description(), checks, context);
      System.out.println(result.summary() + " in " + result.duration().toMillis() + " ms");
      System.out.println("slowest: " + result.results().stream()
          .sorted(Comparator.comparing(CheckResult::duration).reversed()).limit(8)
          .map(r -> r.id() + " " + r.duration().toMillis() + " ms").collect(Collectors.joining(", ")));
      String failures = result.results().stream().filter(r -> r.status() != CheckStatus.PASSED)
          .map(r -> r.id() + " " + r.status() + ": " + r.message()).collect(Collectors.joining("\n"));
      assertThat(failures).as("checks that did not pass").isEmpty();
      assertThat(result.results()).as("results").hasSize(checks.size());
    }
  }
}
