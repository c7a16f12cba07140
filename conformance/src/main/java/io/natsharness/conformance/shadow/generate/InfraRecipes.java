package io.natsharness.conformance.shadow.generate;

import com.google.protobuf.ByteString;
import com.google.rpc.Code;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.game.quests.v1.AcceptRequest;
import io.natsharness.proto.game.quests.v1.DefineQuestRequest;
import io.natsharness.proto.infra.auth.v1.IssueTokenRequest;
import io.natsharness.proto.infra.auth.v1.IssueTokenResponse;
import io.natsharness.proto.infra.auth.v1.PrincipalKind;
import io.natsharness.proto.infra.auth.v1.RegisterPrincipalRequest;
import io.natsharness.proto.infra.auth.v1.RevokeTokenRequest;
import io.natsharness.proto.infra.auth.v1.ValidateTokenRequest;
import io.natsharness.proto.infra.capabilities.v1.DeregisterRequest;
import io.natsharness.proto.infra.capabilities.v1.HeartbeatRequest;
import io.natsharness.proto.infra.capabilities.v1.LookupRequest;
import io.natsharness.proto.infra.events.v1.ListTopicsRequest;
import io.natsharness.proto.infra.events.v1.PublishRequest;
import io.natsharness.proto.infra.events.v1.ReplayRequest;
import io.natsharness.proto.infra.orchestration.v1.CancelWorkflowRequest;
import io.natsharness.proto.infra.orchestration.v1.GetWorkflowRequest;
import io.natsharness.proto.infra.orchestration.v1.PurchaseItemInput;
import io.natsharness.proto.infra.orchestration.v1.StartWorkflowRequest;
import io.natsharness.proto.infra.orchestration.v1.Workflow;
import io.natsharness.proto.infra.orchestration.v1.WorkflowKind;
import io.natsharness.proto.infra.router.v1.GetRouteModeRequest;
import io.natsharness.proto.infra.router.v1.ListRoutesRequest;
import io.natsharness.proto.infra.router.v1.ResolveRequest;
import io.natsharness.proto.infra.router.v1.RouteMode;
import io.natsharness.proto.infra.router.v1.SetRouteModeRequest;
import io.natsharness.proto.util.payment.v1.CreateWalletRequest;
import io.natsharness.proto.util.payment.v1.Wallet;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** Recipes of the infra domain: router, event_bus, orchestration, auth, capability_registry. */
final class InfraRecipes {

  private InfraRecipes() {}

  static void router(RecipeContext r) {
    Values v = r.values();
    List<MethodInfo> reads = ServiceCatalog.load().methods().stream().filter(MethodInfo::hasNoSideEffects).toList();
    MethodInfo route = v.pick(reads);
    String example = route.route().path().template().replaceAll("\\{[^}]*}", "x-1");
    r.call("resolve").request(ResolveRequest.newBuilder().setHttpMethod(route.route().verb()).setPath(example).build());
    r.call("list_routes").request(ListRoutesRequest.newBuilder().setService(route.service()).build());
    r.call("set_route_mode").request(SetRouteModeRequest.newBuilder().setSubject(route.subject())
        .setMode(RouteMode.CANARY).setCanaryPercent(v.between(1, 99)).build());
    r.call("get_route_mode").request(GetRouteModeRequest.newBuilder().setSubject(route.subject()).build());
    r.call("resolve").as("unknown_route").expect(Code.NOT_FOUND)
        .request(ResolveRequest.newBuilder().setHttpMethod("GET").setPath("/v1/" + v.id("nowhere")).build());
  }

  /**
   * Publishes to a topic of the content domain: its services publish only while answering
   * requests, so the stream sequences are the same on every side that ran the same requests.
   */
  static void eventBus(RecipeContext r) {
    Values v = r.values();
    String topic = "evt.content." + v.token("shadow") + ".v1.probe";
    PublishRequest publish = PublishRequest.newBuilder().setTopic(topic).setEventId(v.id("evt"))
        .setPayload(ByteString.copyFrom("{\"probe\":\"" + v.words(2) + "\"}", StandardCharsets.UTF_8))
        .setType("shadow.Probe").setContentType("application/json").putHeaders("origin", "shadow-suite").build();
    r.call("publish").request(publish);
    r.call("publish").as("duplicate").request(publish);
    r.call("replay").request(ReplayRequest.newBuilder().setTopic(topic).build());
    r.call("list_topics").request(ListTopicsRequest.newBuilder().setDomain("content").setPrefix(topic).build());
    r.call("replay").as("beyond_the_end").expect(Code.OUT_OF_RANGE)
        .request(ReplayRequest.newBuilder().setTopic(topic).setFromSequence(1_000_000_000L).build());
  }

  static void orchestration(RecipeContext r) {
    Values v = r.values();
    String player = v.id("buyer");
    DefineQuestRequest quest = GameRecipes.quest(v, v.id("quest"), 1);
    long price = v.between(50, 150);
    r.call("payment", "create_wallet").as("wallet").request(CreateWalletRequest.newBuilder().setOwnerId(player)
        .addInitialBalances(UtilRecipes.money("GEM", 1000)).build());
    r.call("quest_system", "define_quest").as("quest").request(quest);
    r.call("quest_system", "accept").as("accept").request(AcceptRequest.newBuilder().setPlayerId(player)
        .setQuestId(quest.getQuestId()).build());
    r.call("start_workflow").as("workflow").timeout(Duration.ofSeconds(20)).request(b -> StartWorkflowRequest.newBuilder()
        .setKind(WorkflowKind.PURCHASE_ITEM).setWaitForCompletion(true)
        .setPurchaseItem(PurchaseItemInput.newBuilder().setPlayerId(player)
            .setWalletId(b.get("wallet", Wallet.class).getWalletId()).setItemId("iron-sword")
            .setPrice(UtilRecipes.money("GEM", price)).setQuestId(quest.getQuestId())
            .setObjectiveId(quest.getObjectives(0).getObjectiveId())).build());
    r.call("get_workflow").request(b -> GetWorkflowRequest.newBuilder()
        .setWorkflowId(b.get("workflow", Workflow.class).getWorkflowId()).build());
    // Cancelling a workflow that completed is refused, on every side alike (a running one would race).
    r.call("cancel_workflow").expect(Code.FAILED_PRECONDITION).request(b -> CancelWorkflowRequest.newBuilder()
        .setWorkflowId(b.get("workflow", Workflow.class).getWorkflowId()).setReason("changed my mind").build());
  }

  static void auth(RecipeContext r) {
    Values v = r.values();
    String principal = v.id("user");
    String password = "pw-" + v.words(3).replace(' ', '-');
    r.call("register_principal").request(RegisterPrincipalRequest.newBuilder().setPrincipalId(principal)
        .setPassword(password).setKind(PrincipalKind.USER).addScopes("game.quests:write")
        .addScopes("game.quests:read").setDisplayName(v.title(2)).build());
    r.call("issue_token").as("token").request(IssueTokenRequest.newBuilder().setPrincipalId(principal)
        .setPassword(password).addScopes("game.quests:read").setTtlSeconds(600).build());
    r.call("validate_token").request(b -> ValidateTokenRequest.newBuilder()
        .setToken(b.get("token", IssueTokenResponse.class).getToken()).setRequiredScope("game.quests:read").build());
    r.call("validate_token").as("missing_scope").expect(Code.PERMISSION_DENIED).request(b -> ValidateTokenRequest
        .newBuilder().setToken(b.get("token", IssueTokenResponse.class).getToken())
        .setRequiredScope("game.quests:write").build());
    r.call("revoke_token").request(b -> RevokeTokenRequest.newBuilder()
        .setTokenId(b.get("token", IssueTokenResponse.class).getClaims().getTokenId()).setReason("logout").build());
    r.call("validate_token").as("revoked").expect(Code.UNAUTHENTICATED).request(b -> ValidateTokenRequest.newBuilder()
        .setToken(b.get("token", IssueTokenResponse.class).getToken()).build());
    r.call("issue_token").as("wrong_password").expect(Code.UNAUTHENTICATED).request(IssueTokenRequest.newBuilder()
        .setPrincipalId(principal).setPassword(password + "x").build());
  }

  static void capabilityRegistry(RecipeContext r) {
    Values v = r.values();
    String instance = v.id("instance");
    String capability = "shadow." + v.id("cap");
    r.call("register").request(io.natsharness.proto.infra.capabilities.v1.RegisterRequest.newBuilder()
        .setInstanceId(instance).setServiceName("quest_system").setServiceVersion("1.0.0")
        .addCapabilities(capability).addCapabilities("quests.accept").setEndpoint("svc.game.quests.v1")
        .putMetadata("zone", v.pick(List.of("eu-1", "us-2"))).setTtlSeconds(300).build());
    r.call("heartbeat").request(HeartbeatRequest.newBuilder().setInstanceId(instance).build());
    r.call("lookup").request(LookupRequest.newBuilder().setCapability(capability).build());
    r.call("deregister").request(DeregisterRequest.newBuilder().setInstanceId(instance).build());
    r.call("heartbeat").as("gone").expect(Code.NOT_FOUND)
        .request(HeartbeatRequest.newBuilder().setInstanceId(instance).build());
  }
}
