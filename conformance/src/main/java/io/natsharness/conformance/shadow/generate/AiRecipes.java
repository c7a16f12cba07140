package io.natsharness.conformance.shadow.generate;

import com.google.rpc.Code;
import io.natsharness.proto.ai.llm.v1.EmbedRequest;
import io.natsharness.proto.ai.llm.v1.GetGenerationRequest;
import io.natsharness.proto.ai.llm.v1.InferRequest;
import io.natsharness.proto.ai.llm.v1.InferResponse;
import io.natsharness.proto.ai.models.v1.GetRequest;
import io.natsharness.proto.ai.models.v1.ListRequest;
import io.natsharness.proto.ai.models.v1.ModelStatus;
import io.natsharness.proto.ai.models.v1.RegisterRequest;
import io.natsharness.proto.ai.models.v1.SetStatusRequest;
import io.natsharness.proto.ai.router.v1.GetPolicyRequest;
import io.natsharness.proto.ai.router.v1.RouteRequest;
import io.natsharness.proto.ai.router.v1.SetPolicyRequest;
import io.natsharness.proto.common.v1.PageRequest;

/** Recipes of the ai domain: ai_integration, model_management, ai_router. */
final class AiRecipes {

  private AiRecipes() {}

  static void aiIntegration(RecipeContext r) {
    Values v = r.values();
    InferRequest infer = InferRequest.newBuilder().setPrompt("Tell me about " + v.words(3))
        .setMaxTokens(v.between(8, 40)).setTemperature(v.decimal(0, 1.5)).setSeed(v.seedValue()).build();
    r.call("infer").as("generation").request(infer);
    r.call("infer_stream").request(infer);
    r.call("embed").request(EmbedRequest.newBuilder().setText(v.words(4)).build());
    r.call("get_generation").request(b -> GetGenerationRequest.newBuilder()
        .setGenerationId(b.get("generation", InferResponse.class).getGenerationId()).build());
    r.call("infer").as("unknown_model").expect(Code.NOT_FOUND)
        .request(infer.toBuilder().setModel(v.id("no-model")).build());
  }

  static void modelManagement(RecipeContext r) {
    Values v = r.values();
    RegisterRequest model = RegisterRequest.newBuilder().setName(v.id("model")).setVersion("1.0." + v.between(0, 9))
        .addCapabilities("chat").addCapabilities("shadow-test").setContextWindow(8192)
        .setCostPer1KTokens(UtilRecipes.money("USD", v.between(2, 9))).setLatencyMs(v.between(20, 300))
        .setDescription(v.title(4)).build();
    r.call("register").request(model);
    r.call("get").request(GetRequest.newBuilder().setName(model.getName()).setVersion(model.getVersion()).build());
    r.call("list").request(ListRequest.newBuilder().addCapabilities("chat").setStatus(ModelStatus.ACTIVE)
        .setPage(PageRequest.newBuilder().setPageSize(100)).build());
    r.call("set_status").request(SetStatusRequest.newBuilder().setName(model.getName())
        .setVersion(model.getVersion()).setStatus(ModelStatus.DEPRECATED).build());
    r.call("set_status").as("skipping_a_step").expect(Code.FAILED_PRECONDITION)
        .request(SetStatusRequest.newBuilder().setName(model.getName()).setVersion(model.getVersion())
            .setStatus(ModelStatus.ACTIVE).build());
    r.call("register").as("duplicate").expect(Code.ALREADY_EXISTS).request(model);
  }

  static void aiRouter(RecipeContext r) {
    Values v = r.values();
    String task = v.id("task");
    r.call("set_policy").request(SetPolicyRequest.newBuilder().setTask(task).addRequiredCapabilities("chat")
        .setLatencyBudgetMs(1000).setExpectedVersion(0).build());
    r.call("get_policy").request(GetPolicyRequest.newBuilder().setTask(task).build());
    r.call("route").request(RouteRequest.newBuilder().setTask(task).addRequiredCapabilities("chat").build());
    r.call("infer").request(io.natsharness.proto.ai.router.v1.InferRequest.newBuilder().setTask(task)
        .setPrompt("Greet the " + v.words(2)).setMaxTokens(16).setSeed(v.seedValue()).build());
    r.call("route").as("impossible").expect(Code.FAILED_PRECONDITION).request(RouteRequest.newBuilder()
        .setTask(task).addRequiredCapabilities(v.id("telepathy")).build());
  }
}
