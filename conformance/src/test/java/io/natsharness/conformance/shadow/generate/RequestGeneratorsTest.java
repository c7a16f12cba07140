package io.natsharness.conformance.shadow.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Message;
import io.natsharness.conformance.shadow.traffic.HttpForm;
import io.natsharness.conformance.shadow.traffic.HttpRequestEncoder;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.PopulatedMessages;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.catalog.ServiceInfo;
import io.natsharness.proto.diff.Answer;
import io.natsharness.sdk.http.HttpTranscoder;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("RequestGenerators")
class RequestGeneratorsTest {

  private static final ServiceCatalog CATALOG = ServiceCatalog.load();
  private static final RequestGenerators GENERATORS = RequestGenerators.create();

  /** Answers for every named step: populated messages of the step's response type, so every request builds. */
  private static Bindings populated(Scenario s) {
    Bindings b = new Bindings();
    for (Step step : s.steps()) {
      Message answer = PopulatedMessages.populated(step.method().responseType(), 7);
      b.put(step.name(), step.method().serverStreaming() ? Answer.stream(List.of(answer)) : Answer.of(answer));
    }
    return b;
  }

  private static List<Message> requests(Scenario s) {
    Bindings b = populated(s);
    return s.steps().stream().map(step -> step.request(b)).toList();
  }

  @Nested
  @DisplayName("coverage")
  class Coverage {

    @Test
    @DisplayName("every service of the catalog has a recipe")
    void everyServiceHasARecipe() {
      assertThat(CATALOG.services()).allSatisfy(s -> assertThat(GENERATORS.hasRecipe(s.name())).as(s.name()).isTrue());
    }

    @Test
    @DisplayName("every method of the catalog is called by its own service's scenario")
    void everyMethodIsCalled() {
      Set<String> called = new HashSet<>();
      for (Scenario s : GENERATORS.scenarios(Set.of(), 1, "t")) {
        s.steps().stream().map(Step::method).filter(m -> m.service().equals(s.service()))
            .forEach(m -> called.add(m.subject()));
      }
      assertThat(called).containsExactlyInAnyOrderElementsOf(
          CATALOG.methods().stream().map(MethodInfo::subject).toList());
    }

    @Test
    @DisplayName("time_manager runs first, the rest in catalog order")
    void order() {
      List<String> order = GENERATORS.scenarios(Set.of(), 1, "t").stream().map(Scenario::service).toList();
      assertThat(order.get(0)).isEqualTo("time_manager");
      assertThat(order.subList(1, order.size())).isEqualTo(CATALOG.services().stream().map(ServiceInfo::name)
          .filter(n -> !n.equals("time_manager")).toList());
    }

    @Test
    @DisplayName("a selection gives only the selected services' scenarios")
    void selection() {
      assertThat(GENERATORS.scenarios(List.of("payment", "auth"), 1, "t")).extracting(Scenario::service)
          .containsExactly("auth", "payment");
    }

    @Test
    @DisplayName("an unknown service is refused, naming the known ones")
    void unknownService() {
      assertThatThrownBy(() -> GENERATORS.scenarios(Set.of("paymnt"), 1, "t"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("no service 'paymnt' in the catalog; known: [ai_integration, ");
    }
  }

  @Nested
  @DisplayName("determinism")
  class Determinism {

    @Test
    @DisplayName("the same seed and namespace give the same requests, keys and names")
    void sameSeed() {
      List<Scenario> a = GENERATORS.scenarios(Set.of(), 42, "nh");
      List<Scenario> b = GENERATORS.scenarios(Set.of(), 42, "nh");
      for (int i = 0; i < a.size(); i++) {
        assertThat(requests(a.get(i))).isEqualTo(requests(b.get(i)));
        assertThat(a.get(i).steps()).extracting(Step::idempotencyKey)
            .isEqualTo(b.get(i).steps().stream().map(Step::idempotencyKey).toList());
      }
    }

    @Test
    @DisplayName("another seed gives other requests")
    void otherSeed() {
      Scenario a = GENERATORS.scenario("payment", 1, "nh");
      Scenario b = GENERATORS.scenario("payment", 2, "nh");
      assertThat(requests(a)).isNotEqualTo(requests(b));
    }

    @Test
    @DisplayName("a request depends only on the side's answers: built twice, it is the same")
    void requestsArePure() {
      for (Scenario s : GENERATORS.scenarios(Set.of(), 3, "nh")) {
        assertThat(requests(s)).as(s.service()).isEqualTo(requests(s));
      }
    }

    @Test
    @DisplayName("a request uses the side's own ids")
    void usesBindings() {
      Scenario payment = GENERATORS.scenario("payment", 5, "nh");
      Step getBalance = payment.steps().stream().filter(s -> s.name().equals("get_balance")).findFirst().orElseThrow();
      Bindings mine = new Bindings();
      mine.put("wallet", Answer.of(io.natsharness.proto.util.payment.v1.Wallet.newBuilder().setWalletId("wal-mine").build()));
      assertThat(getBalance.request(mine)).isEqualTo(
          io.natsharness.proto.util.payment.v1.GetBalanceRequest.newBuilder().setWalletId("wal-mine").build());
      assertThatThrownBy(() -> getBalance.request(new Bindings())).isInstanceOf(Bindings.UnboundException.class)
          .hasMessage("step 'wallet' has not answered on this side");
    }

    @Test
    @DisplayName("a namespace must be short lower-case letters and digits")
    void namespace() {
      assertThatThrownBy(() -> new Values(1, "Bad-NS")).hasMessage(
          "namespace must be 1-16 lower-case letters or digits, not 'Bad-NS'");
    }
  }

  @Nested
  @DisplayName("wire forms")
  class WireForms {

    @Test
    @DisplayName("every generated request has an HTTP form that the SDK's transcoder reads back to the same message")
    void httpRoundTrip() {
      HttpTranscoder transcoder = HttpTranscoder.create();
      for (Scenario s : GENERATORS.scenarios(Set.of(), 11, "nh")) {
        Bindings b = populated(s);
        for (Step step : s.steps()) {
          Message request = step.request(b);
          HttpForm http = HttpRequestEncoder.encode(step.method(), request, Map.of());
          Map<String, String> vars = step.method().route().path().match(http.path()).orElseThrow();
          Message back = transcoder.decodeRequest(step.method(), vars, query(http.query()),
              http.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
          assertThat(back).as(step + " via " + http.verb() + " " + http.target()).isEqualTo(request);
        }
      }
    }

    @Test
    @DisplayName("methods that need an Idempotency-Key get one on every step")
    void keys() {
      for (Scenario s : GENERATORS.scenarios(Set.of(), 1, "t")) {
        for (Step step : s.steps()) {
          if (step.method().requiresIdempotencyKey()) {
            assertThat(step.idempotencyKey()).as(step.toString()).isPresent();
          }
        }
      }
      Set<String> keys = GENERATORS.scenarios(Set.of(), 1, "t").stream().flatMap(s -> s.steps().stream())
          .flatMap(st -> st.idempotencyKey().stream()).collect(Collectors.toSet());
      long withKeys = GENERATORS.scenarios(Set.of(), 1, "t").stream().flatMap(s -> s.steps().stream())
          .filter(st -> st.idempotencyKey().isPresent()).count();
      assertThat(keys).hasSize((int) withKeys);
    }

    private Map<String, List<String>> query(String raw) {
      Map<String, List<String>> out = new java.util.LinkedHashMap<>();
      if (raw.isEmpty()) {
        return out;
      }
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        out.computeIfAbsent(java.net.URLDecoder.decode(pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8),
            k -> new java.util.ArrayList<>()).add(java.net.URLDecoder.decode(pair.substring(eq + 1),
            java.nio.charset.StandardCharsets.UTF_8));
      }
      return out;
    }
  }
}
