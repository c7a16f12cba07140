package io.natsharness.gateway.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import com.google.rpc.Code;
import io.natsharness.proto.ai.llm.v1.EmbedResponse;
import io.natsharness.proto.ai.llm.v1.FinishReason;
import io.natsharness.proto.ai.llm.v1.InferResponse;
import io.natsharness.proto.catalog.PopulatedMessages;
import io.natsharness.proto.common.v1.RecordMeta;
import io.natsharness.proto.common.v1.Vector3;
import io.natsharness.proto.game.world.v1.Entity;
import io.natsharness.proto.game.world.v1.PutEntityRequest;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("DescriptorComparator")
class DescriptorComparatorTest {

  private final DescriptorComparator exact = DescriptorComparator.exact();

  private static InferResponse infer(int tokens) {
    return InferResponse.newBuilder().setGenerationId("gen-1").setOutput("hello world")
        .setTokensUsed(tokens).setFinishReason(FinishReason.STOP).setModel("atlas-small").build();
  }

  private static Entity.Builder entity() {
    return Entity.newBuilder().setEntityId("e1").setKind("npc").setRegion("north")
        .setPosition(Vector3.newBuilder().setX(1).setY(2).setZ(3))
        .putAttributes("hp", "10").putAttributes("mood", "calm")
        .setMeta(RecordMeta.newBuilder().setVersion(3).setCreatedAt(Timestamp.newBuilder().setSeconds(100)));
  }

  @Nested
  @DisplayName("finds no difference")
  class Agrees {

    @Test
    @DisplayName("between equal messages")
    void equal() {
      assertThat(exact.compare(infer(2), infer(2))).isEmpty();
    }

    @Test
    @DisplayName("between fully populated equal messages of every catalog response type")
    void populated() {
      io.natsharness.proto.catalog.ServiceCatalog.load().methods().forEach(m -> {
        var a = PopulatedMessages.populated(m.responseType(), 7);
        var b = PopulatedMessages.populated(m.responseType(), 7);
        assertThat(exact.compare(a, b)).as(m.subject()).isEmpty();
      });
    }

    @Test
    @DisplayName("between an unset and an empty nested message")
    void unsetEqualsEmpty() {
      Entity a = entity().clearPosition().build();
      Entity b = entity().setPosition(Vector3.getDefaultInstance()).build();
      assertThat(exact.compare(a, b)).isEmpty();
    }
  }

  @Nested
  @DisplayName("reports")
  class Reports {

    @Test
    @DisplayName("exactly the differing scalar field")
    void scalar() {
      assertThat(exact.compare(infer(2), infer(3)))
          .containsExactly(new FieldDifference("tokens_used", "2", "3"));
    }

    @Test
    @DisplayName("enums by name and strings quoted")
    void enumsAndStrings() {
      InferResponse a = infer(2);
      InferResponse b = a.toBuilder().setFinishReason(FinishReason.LENGTH).setOutput("hello").build();
      assertThat(exact.compare(a, b)).containsExactly(
          new FieldDifference("output", "\"hello world\"", "\"hello\""),
          new FieldDifference("finish_reason", "STOP", "LENGTH"));
    }

    @Test
    @DisplayName("nested fields by path")
    void nested() {
      Entity a = entity().build();
      Entity b = entity().setPosition(Vector3.newBuilder().setX(1).setY(2).setZ(4)).build();
      assertThat(exact.compare(a, b)).containsExactly(new FieldDifference("position.z", "3.0", "4.0"));
    }

    @Test
    @DisplayName("map entries by key, including missing ones")
    void maps() {
      Entity a = entity().build();
      Entity b = entity().putAttributes("hp", "9").removeAttributes("mood").putAttributes("new", "x").build();
      assertThat(exact.compare(a, b)).containsExactly(
          new FieldDifference("attributes[\"hp\"]", "\"10\"", "\"9\""),
          new FieldDifference("attributes[\"mood\"]", "\"calm\"", "<absent>"),
          new FieldDifference("attributes[\"new\"]", "<absent>", "\"x\""));
    }

    @Test
    @DisplayName("list elements by index, and extra or missing elements")
    void lists() {
      EmbedResponse a = EmbedResponse.newBuilder().addVector(0.5f).addVector(0.25f).addVector(1f).build();
      EmbedResponse b = EmbedResponse.newBuilder().addVector(0.5f).addVector(0.75f).build();
      assertThat(exact.compare(a, b)).containsExactly(
          new FieldDifference("vector[1]", "0.25", "0.75"),
          new FieldDifference("vector[2]", "1.0", "<absent>"));
    }

    @Test
    @DisplayName("presence of a proto3 optional field")
    void presence() {
      PutEntityRequest a = PutEntityRequest.newBuilder().setEntityId("e").build();
      PutEntityRequest b = a.toBuilder().setExpectedVersion(0).build();
      assertThat(exact.compare(a, b)).containsExactly(new FieldDifference("expected_version", "<absent>", "0"));
    }
  }

  @Nested
  @DisplayName("ignores")
  class Ignores {

    @Test
    @DisplayName("a configured subtree")
    void subtree() {
      DescriptorComparator c = DescriptorComparator.builder().withIgnoredField("meta").build();
      Entity a = entity().build();
      Entity b = entity().setMeta(RecordMeta.newBuilder().setVersion(9)).build();
      assertThat(c.compare(a, b)).isEmpty();
    }

    @Test
    @DisplayName("a field in every list element when given without index")
    void everyElement() {
      DescriptorComparator c = DescriptorComparator.builder().withIgnoredField("vector").build();
      assertThat(c.compare(EmbedResponse.newBuilder().addVector(1).build(), EmbedResponse.getDefaultInstance())).isEmpty();
    }

    @Test
    @DisplayName("doubles within the tolerance")
    void tolerance() {
      DescriptorComparator c = DescriptorComparator.builder().withDoubleTolerance(0.01).build();
      Entity a = entity().build();
      Entity b = entity().setPosition(Vector3.newBuilder().setX(1.005).setY(2).setZ(3)).build();
      assertThat(c.compare(a, b)).isEmpty();
      assertThat(exact.compare(a, b)).extracting(FieldDifference::path).containsExactly("position.x");
    }
  }

  @Nested
  @DisplayName("Answer.compare")
  class Answers {

    @Test
    @DisplayName("compares two errors by code only")
    void errors() {
      assertThat(Answer.compare(new Answer.Failure(Code.NOT_FOUND, "a"), new Answer.Failure(Code.NOT_FOUND, "b"), exact))
          .isEmpty();
      assertThat(Answer.compare(new Answer.Failure(Code.NOT_FOUND, "a"), new Answer.Failure(Code.ABORTED, "a"), exact))
          .containsExactly(new FieldDifference("status.code", "NOT_FOUND", "ABORTED"));
    }

    @Test
    @DisplayName("reports a success against an error as a status difference")
    void outcome() {
      assertThat(Answer.compare(new Answer.Success(infer(1)), new Answer.Failure(Code.INTERNAL, "x"), exact))
          .containsExactly(new FieldDifference("status", "OK", "INTERNAL"));
    }
  }

  @Test
  @DisplayName("refuses messages of different types")
  void differentTypes() {
    assertThatThrownBy(() -> exact.compare(infer(1), Entity.getDefaultInstance()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot compare ai.llm.v1.InferResponse with game.world.v1.Entity");
  }

  @Test
  @DisplayName("FieldDifference.fieldName drops indices and keys")
  void fieldName() {
    assertThat(new FieldDifference("beats[2].text", "a", "b").fieldName()).isEqualTo("beats.text");
    assertThat(new FieldDifference("attributes[\"a]b\"]", "a", "b").fieldName()).isEqualTo("attributes");
    assertThat(List.of(new FieldDifference("x", "1", "2"))).extracting(FieldDifference::fieldName).containsExactly("x");
  }
}
