package io.natsharness.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import com.google.rpc.Code;
import io.natsharness.gateway.config.RouteSettings;
import io.natsharness.proto.ai.llm.v1.EmbedResponse;
import io.natsharness.proto.ai.llm.v1.FinishReason;
import io.natsharness.proto.ai.llm.v1.InferResponse;
import io.natsharness.proto.common.v1.RecordMeta;
import io.natsharness.proto.common.v1.Vector3;
import io.natsharness.proto.diff.Answer;
import io.natsharness.proto.diff.DiffRules;
import io.natsharness.proto.diff.Difference;
import io.natsharness.proto.diff.DifferenceKind;
import io.natsharness.proto.diff.MessageDiff;
import io.natsharness.proto.game.world.v1.Entity;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The rules the gateway gives the shared engine ({@link MessageDiff}) for a route in SHADOW mode. */
@DisplayName("SHADOW rules of a route")
class ShadowRulesTest {

  private static DiffRules rules(String... ignored) {
    return GatewayParts.shadowRules(RouteSettings.none().withShadowIgnoredFields(Set.of(ignored)));
  }

  private static Entity.Builder entity() {
    return Entity.newBuilder().setEntityId("e1").setKind("npc").setRegion("north")
        .setPosition(Vector3.newBuilder().setX(1).setY(2).setZ(3))
        .putAttributes("hp", "10")
        .setMeta(RecordMeta.newBuilder().setVersion(3).setCreatedAt(Timestamp.newBuilder().setSeconds(100)));
  }

  private static InferResponse infer(int tokens) {
    return InferResponse.newBuilder().setGenerationId("gen-1").setOutput("hello world")
        .setTokensUsed(tokens).setFinishReason(FinishReason.STOP).setModel("atlas-small").build();
  }

  @Nested
  @DisplayName("with shadow-ignore")
  class Ignore {

    @Test
    @DisplayName("skips a configured subtree")
    void subtree() {
      Entity a = entity().build();
      Entity b = entity().setMeta(RecordMeta.newBuilder().setVersion(9)).build();
      assertThat(MessageDiff.compare(a, b, rules("meta"))).isEmpty();
      assertThat(MessageDiff.compare(a, b, rules())).extracting(Difference::path)
          .containsExactly("meta.created_at", "meta.version");
    }

    @Test
    @DisplayName("skips a field in every list element when given without index")
    void everyElement() {
      EmbedResponse a = EmbedResponse.newBuilder().addVector(1).build();
      assertThat(MessageDiff.compare(a, EmbedResponse.getDefaultInstance(), rules("vector"))).isEmpty();
    }

    @Test
    @DisplayName("still reports exactly the differing field elsewhere")
    void others() {
      assertThat(MessageDiff.compare(infer(2), infer(3), rules("generation_id")))
          .containsExactly(new Difference("tokens_used", DifferenceKind.VALUE, "2", "3"));
    }

    @Test
    @DisplayName("refuses a malformed path with the engine's message")
    void malformed() {
      assertThatThrownBy(() -> rules("meta..version")).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("malformed field path pattern 'meta..version': use field names joined by '.', with * for one"
              + " name and ** for any number, e.g. 'meta.updated_at' or '**.created_at'");
    }
  }

  @Nested
  @DisplayName("on errors")
  class Errors {

    @Test
    @DisplayName("compares two errors by code, not by wording")
    void codes() {
      assertThat(MessageDiff.compare(InferResponse.getDescriptor(), Answer.error(Code.NOT_FOUND, "a"),
          Answer.error(Code.NOT_FOUND, "b"), rules())).isEmpty();
      assertThat(MessageDiff.compare(InferResponse.getDescriptor(), Answer.error(Code.NOT_FOUND, "a"),
          Answer.error(Code.ABORTED, "a"), rules()))
          .containsExactly(new Difference("@status.code", DifferenceKind.STATUS_CODE, "\"NOT_FOUND\"", "\"ABORTED\""));
    }

    @Test
    @DisplayName("reports a success against an error at @status")
    void outcome() {
      assertThat(MessageDiff.compare(InferResponse.getDescriptor(), Answer.of(infer(1)),
          Answer.error(Code.INTERNAL, "x"), rules()))
          .containsExactly(new Difference("@status", DifferenceKind.ERROR_VS_SUCCESS, "\"OK\"", "\"INTERNAL: x\""));
    }
  }
}
