package io.natsharness.proto.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.Code;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("The contract in proto/")
class ContractTest {

  /**
   * The services and methods that SERVICES.md names: the specification the schemas must match.
   * This list exists only here, to catch drift between the design and the schemas.
   */
  static final Map<String, List<String>> SERVICES_MD = new LinkedHashMap<>();

  static {
    SERVICES_MD.put("ai_integration", List.of("infer", "infer_stream", "embed", "get_generation"));
    SERVICES_MD.put("model_management", List.of("register", "get", "list", "set_status"));
    SERVICES_MD.put("ai_router", List.of("route", "infer", "set_policy", "get_policy"));
    SERVICES_MD.put("quest_system",
        List.of("define_quest", "accept", "report_progress", "abandon", "get_player_quests"));
    SERVICES_MD.put("npc_behavior", List.of("set_profile", "get_profile", "decide"));
    SERVICES_MD.put("world_state",
        List.of("put_entity", "get_entity", "query_region", "delete_entity", "watch_region"));
    SERVICES_MD.put("body_broker_integration",
        List.of("open_session", "push_state", "pull_commands", "close_session"));
    SERVICES_MD.put("router", List.of("resolve", "list_routes", "set_route_mode", "get_route_mode"));
    SERVICES_MD.put("event_bus", List.of("publish", "replay", "list_topics"));
    SERVICES_MD.put("orchestration", List.of("start_workflow", "get_workflow", "cancel_workflow"));
    SERVICES_MD.put("auth",
        List.of("register_principal", "issue_token", "validate_token", "revoke_token"));
    SERVICES_MD.put("capability_registry", List.of("register", "heartbeat", "lookup", "deregister"));
    SERVICES_MD.put("story_teller", List.of("start_arc", "next_beat", "get_arc"));
    SERVICES_MD.put("environmental_narrative", List.of("register_landmark", "describe"));
    SERVICES_MD.put("language_system",
        List.of("translate", "localize", "detect_language", "put_glossary"));
    SERVICES_MD.put("knowledge_base", List.of("put_fact", "get_fact", "search", "delete_fact"));
    SERVICES_MD.put("time_manager", List.of("now", "set_scale", "pause", "resume"));
    SERVICES_MD.put("weather_manager",
        List.of("get_weather", "forecast", "set_override", "clear_override"));
    SERVICES_MD.put("settings", List.of("get", "put", "list", "delete"));
    SERVICES_MD.put("payment",
        List.of("create_wallet", "get_balance", "charge", "refund", "list_transactions"));
    SERVICES_MD.put("performance_mode", List.of("get_mode", "set_mode", "recommend"));
    SERVICES_MD.put("state_manager", List.of("save", "load", "list_slots", "delete_slot"));
  }

  static final ServiceCatalog CATALOG = ServiceCatalog.load();

  /** "Errors:" or "Errors (before the first chunk):" starts the part of a comment that lists codes. */
  static final Pattern ERRORS_LINE = Pattern.compile("Errors[^:.]*:");

  static Stream<MethodInfo> methods() {
    return CATALOG.methods().stream();
  }

  @Nested
  @DisplayName("has the shape of SERVICES.md")
  class Shape {

    @Test
    void has22ServicesIn23SchemaFiles() {
      assertThat(CATALOG.services()).hasSize(22);
      assertThat(CATALOG.schemaFiles()).hasSize(23).contains("common/v1/common.proto");
    }

    @Test
    void namesEveryServiceAndMethodOfServicesMd() {
      Map<String, List<String>> actual = new LinkedHashMap<>();
      CATALOG.services().forEach(s -> actual.put(s.name(),
          s.methods().stream().map(MethodInfo::name).toList()));
      assertThat(actual).containsExactlyInAnyOrderEntriesOf(SERVICES_MD);
    }

    @Test
    void eachServiceHasItsOwnFileAndASemverVersion() {
      for (ServiceInfo service : CATALOG.services()) {
        assertThat(service.schemaFile())
            .as(service.name())
            .isEqualTo(service.protoPackage().replace('.', '/') + "/" + service.name() + ".proto");
        assertThat(service.protoPackage()).as(service.name()).matches("[a-z]+\\.[a-z]+\\.v1");
        assertThat(service.version()).as(service.name()).matches("\\d+\\.\\d+\\.\\d+");
        assertThat(service.documentation()).as(service.name()).isNotBlank();
      }
    }

    @Test
    void eventsLiveOnEvtSubjectsOfTheirDomainStream() {
      for (ServiceInfo service : CATALOG.services()) {
        for (EventInfo event : service.events()) {
          assertThat(event.subject()).isEqualTo("evt." + service.protoPackage() + "." + event.name());
          assertThat(event.stream()).isEqualTo("EVT_" + service.domain().toUpperCase());
        }
      }
      assertThat(CATALOG.events()).extracting(EventInfo::name)
          .contains("model_registered", "model_status_changed", "quest_accepted",
              "quest_completed", "phase_changed", "payment_settled");
    }
  }

  @Nested
  @DisplayName("gives every method a unique NATS subject")
  class Subjects {

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.natsharness.proto.catalog.ContractTest#methods")
    void subjectFollowsTheConvention(MethodInfo method) {
      ServiceInfo service = CATALOG.service(method.service()).orElseThrow();
      String snake = snakeCase(method.descriptor().getName());
      assertThat(method.subject())
          .isEqualTo("svc." + service.protoPackage() + "." + snake)
          .matches(Pattern.compile("svc\\.[a-z]+\\.[a-z]+\\.v1\\.[a-z][a-z0-9_]*"));
    }

    @Test
    void subjectsAreUnique() {
      List<String> subjects = methods().map(MethodInfo::subject).toList();
      assertThat(subjects).doesNotHaveDuplicates();
      assertThat(subjects).hasSize(CATALOG.methods().size());
    }
  }

  @Nested
  @DisplayName("gives every method a unique HTTP route")
  class Routes {

    @Test
    void routesAreUnique() {
      Set<String> seen = new HashSet<>();
      for (MethodInfo method : CATALOG.methods()) {
        // {a} and {b} at the same place are the same route to a router.
        String shape = method.route().verb() + " "
            + method.route().path().template().replaceAll("\\{[^}]*}", "{}");
        assertThat(seen.add(shape)).as("route %s of %s is taken", shape, method).isTrue();
      }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.natsharness.proto.catalog.ContractTest#methods")
    void pathVariablesAreFieldsOfTheRequest(MethodInfo method) {
      for (String variable : method.route().pathVariables()) {
        FieldDescriptor field = method.requestType().findFieldByName(variable);
        assertThat(field).as("%s binds {%s}", method, variable).isNotNull();
        assertThat(field.isRepeated() || field.getJavaType() == FieldDescriptor.JavaType.MESSAGE)
            .as("%s binds {%s} to a scalar", method, variable).isFalse();
      }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.natsharness.proto.catalog.ContractTest#methods")
    void getAndDeleteCarryNoBodyAndOthersTheWholeRequest(MethodInfo method) {
      String verb = method.route().verb();
      if (verb.equals("GET") || verb.equals("DELETE")) {
        assertThat(method.route().body()).as(method.toString()).isEmpty();
      } else {
        assertThat(method.route().body()).as(method.toString()).isEqualTo("*");
      }
    }
  }

  @Nested
  @DisplayName("documents every method")
  class Documentation {

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.natsharness.proto.catalog.ContractTest#methods")
    void commentStatesBehaviourAndErrors(MethodInfo method) {
      assertThat(method.documentation()).as(method.toString()).containsPattern(ERRORS_LINE);
      assertThat(method.documentation().length()).as(method.toString()).isGreaterThan(40);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.natsharness.proto.catalog.ContractTest#methods")
    void listedErrorCodesAreTheOnesTheErrorsLineNames(MethodInfo method) {
      String doc = method.documentation();
      java.util.regex.Matcher errorsLine = ERRORS_LINE.matcher(doc);
      assertThat(errorsLine.find()).as("%s has an Errors line", method).isTrue();
      String errorsPart = doc.substring(errorsLine.start());
      List<Code> named = java.util.Arrays.stream(Code.values())
          .filter(c -> c != Code.UNRECOGNIZED && c != Code.OK)
          .filter(c -> Pattern.compile("\\b" + c.name() + "\\b").matcher(errorsPart).find())
          .toList();
      assertThat(method.errorCodes()).as("%s: the errors option against its Errors line", method)
          .doesNotHaveDuplicates()
          .containsExactlyInAnyOrderElementsOf(named);
    }
  }

  @Nested
  @DisplayName("keeps every request intact through proto3 JSON")
  class JsonRoundTrip {

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.natsharness.proto.catalog.ContractTest#methods")
    void populatedRequestSurvivesJson(MethodInfo method) throws Exception {
      Message request = PopulatedMessages.populated(method.requestType(), 7);
      assertThat(request.getAllFields()).hasSameSizeAs(
          method.requestType().getFields().stream()
              .filter(f -> f.getRealContainingOneof() == null
                  || f.getRealContainingOneof().getField(0) == f).toList());
      String json = JsonFormat.printer().print(request);
      Message.Builder back = request.newBuilderForType();
      JsonFormat.parser().merge(json, back);
      assertThat(back.build()).isEqualTo(request);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.natsharness.proto.catalog.ContractTest#methods")
    void populatedResponseSurvivesJson(MethodInfo method) throws Exception {
      Message response = PopulatedMessages.populated(method.responseType(), 11);
      String json = JsonFormat.printer().print(response);
      Message.Builder back = response.newBuilderForType();
      JsonFormat.parser().merge(json, back);
      assertThat(back.build()).isEqualTo(response);
    }
  }

  static String snakeCase(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
  }
}
