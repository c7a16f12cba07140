package io.natsharness.services.infra.router;

import static io.natsharness.services.testing.RpcAssertions.assertInvalid;
import static io.natsharness.services.testing.RpcAssertions.assertRpcError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.Code;
import io.nats.client.JetStreamManagement;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.harness.NatsHarnessTest;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.common.v1.ErrorDetail;
import io.natsharness.proto.infra.router.v1.GetRouteModeRequest;
import io.natsharness.proto.infra.router.v1.ListRoutesRequest;
import io.natsharness.proto.infra.router.v1.ListRoutesResponse;
import io.natsharness.proto.infra.router.v1.ResolveRequest;
import io.natsharness.proto.infra.router.v1.ResolveResponse;
import io.natsharness.proto.infra.router.v1.Route;
import io.natsharness.proto.infra.router.v1.RouteMode;
import io.natsharness.proto.infra.router.v1.RouteModeChanged;
import io.natsharness.proto.infra.router.v1.RouteModeSetting;
import io.natsharness.proto.infra.router.v1.SetRouteModeRequest;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.services.host.ReferenceHost;
import io.natsharness.services.testing.StoredEvents;
import io.natsharness.services.testing.TestHosts;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@NatsHarnessTest
@DisplayName("router")
class RouterServiceTest {

  private static final ServiceCatalog CATALOG = ServiceCatalog.load();
  private static ReferenceHost host;

  @BeforeAll
  static void startHost(HarnessRuntimeInfo info) {
    host = TestHosts.start(info, "router");
  }

  @AfterAll
  static void stopHost() {
    host.close();
  }

  private static ResolveResponse resolve(RpcClient client, String verb, String path) {
    return client.call("svc.infra.router.v1.resolve",
        ResolveRequest.newBuilder().setHttpMethod(verb).setPath(path).build());
  }

  private static RouteModeSetting set(RpcClient client, String subject, RouteMode mode, int percent, long expected) {
    return client.call("svc.infra.router.v1.set_route_mode", SetRouteModeRequest.newBuilder()
        .setSubject(subject).setMode(mode).setCanaryPercent(percent).setExpectedVersion(expected).build());
  }

  private static RouteModeSetting get(RpcClient client, String subject) {
    return client.call("svc.infra.router.v1.get_route_mode", GetRouteModeRequest.newBuilder().setSubject(subject).build());
  }

  /** A concrete path for a template: every variable becomes "v1x". */
  private static String concrete(MethodInfo method) {
    return method.route().path().template().replaceAll("\\{[^}]+}", "v1x");
  }

  @Nested
  @DisplayName("resolve")
  class Resolve {

    @Test
    @DisplayName("maps a path to its method, types and percent-decoded path parameters")
    void resolvesAPath(RpcClient client) {
      ResolveResponse r = resolve(client, "GET", "/v1/ai/llm/generations/gen%2D1%20a");
      assertThat(r.getSubject()).isEqualTo("svc.ai.llm.v1.get_generation");
      assertThat(r.getRequestType()).isEqualTo("ai.llm.v1.GetGenerationRequest");
      assertThat(r.getResponseType()).isEqualTo("ai.llm.v1.Generation");
      assertThat(r.getPathParamsMap()).containsExactly(java.util.Map.entry("generation_id", "gen-1 a"));
      assertThat(r.getPathTemplate()).isEqualTo("/v1/ai/llm/generations/{generation_id}");
      assertThat(r.getHttpMethod()).isEqualTo("GET");
      assertThat(r.getService()).isEqualTo("ai_integration");
      assertThat(r.getMethod()).isEqualTo("ai.llm.v1.AiIntegration.GetGeneration");
      assertThat(r.getBody()).isEmpty();
      assertThat(r.getServerStreaming()).isFalse();
    }

    @Test
    @DisplayName("resolves every route of the catalog to its own method")
    void resolvesEveryCatalogRoute(RpcClient client) {
      for (MethodInfo method : CATALOG.methods()) {
        ResolveResponse r = resolve(client, method.route().verb(), concrete(method));
        assertThat(r.getSubject()).as(method.route().toString()).isEqualTo(method.subject());
        assertThat(r.getServerStreaming()).isEqualTo(method.serverStreaming());
        assertThat(r.getBody()).isEqualTo(method.route().body());
      }
    }

    @Test
    @DisplayName("takes the verb in any case and ignores the query string")
    void verbCaseAndQuery(RpcClient client) {
      ResolveResponse r = resolve(client, "post", "/v1/ai/llm/infer:stream?x=1");
      assertThat(r.getSubject()).isEqualTo("svc.ai.llm.v1.infer_stream");
      assertThat(r.getServerStreaming()).isTrue();
      assertThat(r.getBody()).isEqualTo("*");
    }

    @Test
    @DisplayName("carries the route's current mode")
    void carriesTheMode(RpcClient client) {
      set(client, "svc.ai.llm.v1.embed", RouteMode.NATS, 0, 0);
      assertThat(resolve(client, "POST", "/v1/ai/llm/embed").getMode().getMode()).isEqualTo(RouteMode.NATS);
    }

    @Test
    @DisplayName("answers NOT_FOUND for an unknown path")
    void unknownPath(RpcClient client) {
      assertThatThrownBy(() -> resolve(client, "GET", "/v1/nothing/here"))
          .isInstanceOfSatisfying(RpcException.class, e -> {
            assertThat(e.code()).isEqualTo(Code.NOT_FOUND);
            assertThat(e.statusMessage()).isEqualTo("no route for GET /v1/nothing/here");
          });
    }

    @Test
    @DisplayName("answers NOT_FOUND for a path that exists under another verb")
    void otherVerb(RpcClient client) {
      assertThatThrownBy(() -> resolve(client, "DELETE", "/v1/ai/llm/infer"))
          .isInstanceOfSatisfying(RpcException.class, e -> {
            assertThat(e.code()).isEqualTo(Code.NOT_FOUND);
            assertThat(e.statusMessage()).isEqualTo("no route for DELETE /v1/ai/llm/infer");
          });
    }

    @Test
    @DisplayName("refuses an unsupported verb, naming http_method")
    void unsupportedVerb(RpcClient client) {
      assertInvalid(() -> resolve(client, "HEAD", "/v1/ai/llm/infer"), "http_method",
          "http_method: must be GET, POST, PUT, PATCH or DELETE");
      assertInvalid(() -> resolve(client, "", "/v1/ai/llm/infer"), "http_method", "http_method: must not be empty");
    }

    @Test
    @DisplayName("refuses an empty, relative or over-long path, naming path")
    void badPaths(RpcClient client) {
      assertInvalid(() -> resolve(client, "GET", ""), "path", "path: must not be empty");
      assertInvalid(() -> resolve(client, "GET", "v1/ai"), "path", "path: must start with '/'");
      assertInvalid(() -> resolve(client, "GET", "/" + "a".repeat(2048)), "path",
          "path: must be at most 2048 characters");
    }
  }

  @Nested
  @DisplayName("list_routes")
  class ListRoutes {

    @Test
    @DisplayName("lists one route per catalog method, sorted by template then verb")
    void listsTheCatalog(RpcClient client) {
      ListRoutesResponse all = client.call("svc.infra.router.v1.list_routes", ListRoutesRequest.getDefaultInstance());
      assertThat(all.getRoutesList()).extracting(Route::getSubject)
          .containsExactlyInAnyOrderElementsOf(CATALOG.methods().stream().map(MethodInfo::subject).toList());
      assertThat(all.getRoutesList()).isSortedAccordingTo(
          Comparator.comparing(Route::getPathTemplate).thenComparing(Route::getHttpMethod));
      Route charge = all.getRoutesList().stream().filter(r -> r.getSubject().equals("svc.util.payment.v1.charge"))
          .findFirst().orElseThrow();
      assertThat(charge.getRequiresIdempotencyKey()).isTrue();
      assertThat(charge.getNoSideEffects()).isFalse();
      assertThat(charge.getPathTemplate()).isEqualTo("/v1/util/payment/wallets/{wallet_id}/charges");
    }

    @Test
    @DisplayName("filters by service, verb and mode together")
    void filters(RpcClient client) {
      set(client, "svc.util.payment.v1.get_balance", RouteMode.CANARY, 10, 0);
      ListRoutesResponse r = client.call("svc.infra.router.v1.list_routes", ListRoutesRequest.newBuilder()
          .setService("payment").setHttpMethod("get").setMode(RouteMode.CANARY).build());
      assertThat(r.getRoutesList()).extracting(Route::getSubject).containsExactly("svc.util.payment.v1.get_balance");
      assertThat(r.getRoutes(0).getMode().getCanaryPercent()).isEqualTo(10);
    }

    @Test
    @DisplayName("gives an empty list for an unknown service")
    void unknownService(RpcClient client) {
      ListRoutesResponse r = client.call("svc.infra.router.v1.list_routes",
          ListRoutesRequest.newBuilder().setService("nope").build());
      assertThat(r.getRoutesList()).isEmpty();
    }

    @Test
    @DisplayName("refuses an unsupported verb filter")
    void badVerb(RpcClient client) {
      assertInvalid(() -> client.call("svc.infra.router.v1.list_routes",
          ListRoutesRequest.newBuilder().setHttpMethod("TRACE").build()), "http_method",
          "http_method: must be GET, POST, PUT, PATCH or DELETE");
    }
  }

  @Nested
  @DisplayName("set_route_mode and get_route_mode")
  class Modes {

    @Test
    @DisplayName("a route never set is HTTP at version 0 without timestamps")
    void defaultMode(RpcClient client) {
      RouteModeSetting s = get(client, "svc.game.npc.v1.decide");
      assertThat(s.getMode()).isEqualTo(RouteMode.HTTP);
      assertThat(s.getCanaryPercent()).isZero();
      assertThat(s.getMeta().getVersion()).isZero();
      assertThat(s.getMeta().hasCreatedAt()).isFalse();
    }

    @Test
    @DisplayName("a change bumps the version and publishes route_mode_changed once")
    void changePublishes(RpcClient client, JetStreamManagement jsm) {
      String subject = "svc.game.npc.v1.get_profile";
      RouteModeSetting first = set(client, subject, RouteMode.CANARY, 25, 0);
      assertThat(first.getMode()).isEqualTo(RouteMode.CANARY);
      assertThat(first.getMeta().getVersion()).isEqualTo(1);
      assertThat(first.getMeta().hasCreatedAt()).isTrue();
      assertThat(get(client, subject)).isEqualTo(first);
      List<RouteModeChanged> events = StoredEvents.withId(jsm, "EVT_INFRA", "evt.infra.router.v1.route_mode_changed",
          "route_mode_changed:" + subject + ":1", RouteModeChanged.parser());
      assertThat(events).containsExactly(RouteModeChanged.newBuilder().setSubject(subject)
          .setPreviousMode(RouteMode.HTTP).setMode(RouteMode.CANARY).setCanaryPercent(25).setVersion(1).build());
    }

    @Test
    @DisplayName("setting the current mode again changes nothing and publishes nothing")
    void sameModeIsANoOp(RpcClient client, JetStreamManagement jsm) {
      String subject = "svc.game.npc.v1.set_profile";
      RouteModeSetting first = set(client, subject, RouteMode.NATS, 0, 0);
      RouteModeSetting again = set(client, subject, RouteMode.NATS, 0, 0);
      assertThat(again).isEqualTo(first);
      assertThat(StoredEvents.ids(jsm, "EVT_INFRA", "evt.infra.router.v1.route_mode_changed"))
          .filteredOn(id -> id.startsWith("route_mode_changed:" + subject + ":")).hasSize(1);
    }

    @Test
    @DisplayName("compare-and-set: a stale expected_version is ABORTED")
    void compareAndSet(RpcClient client) {
      String subject = "svc.ai.models.v1.get";
      set(client, subject, RouteMode.NATS, 0, 0);
      RouteModeSetting second = set(client, subject, RouteMode.HTTP, 0, 1);
      assertThat(second.getMeta().getVersion()).isEqualTo(2);
      assertThatThrownBy(() -> set(client, subject, RouteMode.NATS, 0, 1))
          .isInstanceOfSatisfying(RpcException.class, e -> {
            assertThat(e.code()).isEqualTo(Code.ABORTED);
            assertThat(e.statusMessage()).isEqualTo("route " + subject + " is at version 2, not the expected 1");
          });
    }

    @Test
    @DisplayName("concurrent writers with the same expected version: exactly one wins")
    void concurrentCompareAndSet(RpcClient client) throws Exception {
      String subject = "svc.ai.models.v1.list";
      long version = set(client, subject, RouteMode.CANARY, 1, 0).getMeta().getVersion();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
          int percent = 2 + i;
          results.add(pool.submit((Callable<Boolean>) () -> {
            try {
              set(client, subject, RouteMode.CANARY, percent, version);
              return true;
            } catch (RpcException e) {
              assertThat(e.code()).isEqualTo(Code.ABORTED);
              return false;
            }
          }));
        }
        int won = 0;
        for (Future<Boolean> result : results) {
          won += result.get() ? 1 : 0;
        }
        assertThat(won).isEqualTo(1);
        assertThat(get(client, subject).getMeta().getVersion()).isEqualTo(version + 1);
      } finally {
        pool.shutdownNow();
      }
    }

    @Test
    @DisplayName("SHADOW on a method with side effects and no idempotency key is FAILED_PRECONDITION SHADOW_UNSAFE")
    void shadowUnsafe(RpcClient client) {
      assertThatThrownBy(() -> set(client, "svc.util.payment.v1.create_wallet", RouteMode.SHADOW, 0, 0))
          .isInstanceOfSatisfying(RpcException.class, e -> {
            assertThat(e.code()).isEqualTo(Code.FAILED_PRECONDITION);
            assertThat(e.errorDetail()).map(ErrorDetail::getReason).contains("SHADOW_UNSAFE");
            assertThat(e.statusMessage()).isEqualTo("svc.util.payment.v1.create_wallet has side effects and takes"
                + " no Idempotency-Key: shadowing would apply them twice");
          });
      assertThat(set(client, "svc.util.payment.v1.charge", RouteMode.SHADOW, 0, 0).getMode())
          .isEqualTo(RouteMode.SHADOW);
    }

    @Test
    @DisplayName("refuses a bad canary percent, an unspecified mode and an empty subject")
    void badInput(RpcClient client) {
      assertInvalid(() -> set(client, "svc.ai.llm.v1.infer", RouteMode.CANARY, 101, 0), "canary_percent",
          "canary_percent: must be in [0, 100]");
      assertInvalid(() -> set(client, "svc.ai.llm.v1.infer", RouteMode.NATS, 5, 0), "canary_percent",
          "canary_percent: must be 0 unless mode is CANARY");
      assertInvalid(() -> set(client, "svc.ai.llm.v1.infer", RouteMode.ROUTE_MODE_UNSPECIFIED, 0, 0), "mode",
          "mode: must be specified");
      assertInvalid(() -> set(client, "", RouteMode.NATS, 0, 0), "subject", "subject: must not be empty");
      assertInvalid(() -> get(client, ""), "subject", "subject: must not be empty");
    }

    @Test
    @DisplayName("answers NOT_FOUND for a subject with no route")
    void unknownSubject(RpcClient client) {
      assertThatThrownBy(() -> set(client, "svc.nope.v1.x", RouteMode.NATS, 0, 0))
          .isInstanceOfSatisfying(RpcException.class, e -> {
            assertThat(e.code()).isEqualTo(Code.NOT_FOUND);
            assertThat(e.statusMessage()).isEqualTo("no route has subject svc.nope.v1.x");
          });
      assertThatThrownBy(() -> get(client, "svc.nope.v1.x"))
          .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.code()).isEqualTo(Code.NOT_FOUND));
    }

    @Test
    @DisplayName("modes survive a restart of the host")
    void survivesRestart(RpcClient client, HarnessRuntimeInfo info) {
      RouteModeSetting before = set(client, "svc.game.world.v1.get_entity", RouteMode.CANARY, 40, 0);
      host.close();
      host = TestHosts.start(info, "router");
      assertThat(get(client, "svc.game.world.v1.get_entity")).isEqualTo(before);
    }
  }
}
