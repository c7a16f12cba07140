package io.natsharness.proto.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.OneofDescriptorProto;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.compat.Breakage.Kind;
import io.natsharness.proto.options.OptionsProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each kind of break, made by editing the real contract's descriptors the way a careless change to
 * the .proto files would, is caught and named.
 */
@DisplayName("The breaking-change guard")
class BreakingChangeDetectorTest {

  static final FileDescriptorSet CURRENT = ServiceCatalog.readDescriptorSet();
  static final String FILE = "ai/llm/v1/ai_integration.proto";

  @Test
  void findsNothingBetweenTheContractAndItself() {
    assertThat(BreakingChangeDetector.compare(CURRENT, CURRENT)).isEmpty();
  }

  @Test
  void theContractMatchesTheCommittedBaseline() throws Exception {
    FileDescriptorSet baseline = BaselineCheck.read(Path.of("baseline/descriptors.txtpb"));
    assertThat(BreakingChangeDetector.compare(baseline, CURRENT)).isEmpty();
  }

  @Nested
  @DisplayName("catches")
  class Catches {

    @Test
    void aRemovedField() {
      assertThat(breaks(f -> message(f, "InferRequest", m -> m.removeField(1))))
          .containsExactly(new Breakage(Kind.FIELD_REMOVED, "ai.llm.v1.InferRequest.model",
              "field 2 removed without reserving its number and name"));
    }

    @Test
    void aRenumberedField() {
      assertThat(breaks(f -> message(f, "InferRequest",
          m -> m.setField(1, m.getField(1).toBuilder().setNumber(20)))))
          .extracting(Breakage::kind, Breakage::element)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(
              Kind.FIELD_RENUMBERED, "ai.llm.v1.InferRequest.model"));
    }

    @Test
    void anIncompatibleTypeChange() {
      assertThat(kinds(f -> message(f, "InferRequest", m -> m.setField(2,
          m.getField(2).toBuilder().setType(FieldDescriptorProto.Type.TYPE_INT64)))))
          .containsExactly(Kind.FIELD_TYPE_CHANGED);
    }

    @Test
    void aCardinalityChange() {
      assertThat(kinds(f -> message(f, "InferRequest", m -> m.setField(0,
          m.getField(0).toBuilder().setLabel(FieldDescriptorProto.Label.LABEL_REPEATED)))))
          .containsExactly(Kind.FIELD_CARDINALITY_CHANGED);
    }

    @Test
    void aChangedJsonName() {
      assertThat(breaks(f -> message(f, "InferRequest", m -> m.setField(2,
          m.getField(2).toBuilder().setJsonName("max_tokens")))))
          .extracting(Breakage::detail)
          .containsExactly("JSON name changed from \"maxTokens\" to \"max_tokens\"");
    }

    @Test
    void aFieldMovedIntoAOneof() {
      assertThat(kinds(f -> message(f, "InferRequest", m -> m
          .addOneofDecl(OneofDescriptorProto.newBuilder().setName("choice"))
          .setField(0, m.getField(0).toBuilder().setOneofIndex(0)))))
          .containsExactly(Kind.FIELD_ONEOF_CHANGED);
    }

    @Test
    void aRemovedMessage() {
      assertThat(kinds(f -> f.removeMessageType(indexOf(f, "GenerationCompleted"))))
          .containsExactly(Kind.MESSAGE_REMOVED);
    }

    @Test
    void aRemovedOrRenamedEnumValue() {
      assertThat(kinds(f -> enumType(f, "FinishReason", e -> e.removeValue(2))))
          .containsExactly(Kind.ENUM_VALUE_REMOVED);
      assertThat(kinds(f -> enumType(f, "FinishReason",
          e -> e.setValue(2, e.getValue(2).toBuilder().setName("TRUNCATED")))))
          .containsExactly(Kind.ENUM_VALUE_NAME_CHANGED);
    }

    @Test
    void aRemovedMethod() {
      assertThat(breaks(f -> f.setService(0, f.getService(0).toBuilder().removeMethod(3))))
          .extracting(Breakage::toString)
          .containsExactly("METHOD_REMOVED ai.llm.v1.AiIntegration.GetGeneration: method removed"
              + " (subject svc.ai.llm.v1.get_generation)");
    }

    @Test
    void aChangedSubject() {
      assertThat(breaks(f -> method(f, 0, m -> m.setOptions(m.getOptions().toBuilder()
          .setExtension(OptionsProto.subject, "svc.ai.llm.v1.generate")))))
          .extracting(Breakage::toString)
          .containsExactly("METHOD_SUBJECT_CHANGED ai.llm.v1.AiIntegration.Infer: subject changed"
              + " from svc.ai.llm.v1.infer to svc.ai.llm.v1.generate");
    }

    @Test
    void aChangedRoute() {
      assertThat(breaks(f -> method(f, 0, m -> m.setOptions(m.getOptions().toBuilder()
          .setExtension(AnnotationsProto.http,
              HttpRule.newBuilder().setPut("/v1/ai/llm/infer").setBody("*").build())))))
          .extracting(Breakage::detail)
          .containsExactly("HTTP route changed from POST /v1/ai/llm/infer body=* to"
              + " PUT /v1/ai/llm/infer body=*");
    }

    @Test
    void changedTypesOrStreaming() {
      assertThat(kinds(f -> method(f, 0, m -> m.setOutputType(".ai.llm.v1.InferChunk"))))
          .containsExactly(Kind.METHOD_TYPE_CHANGED);
      assertThat(kinds(f -> method(f, 0, m -> m.setServerStreaming(true))))
          .containsExactly(Kind.METHOD_STREAMING_CHANGED);
    }

    @Test
    void aNewlyRequiredIdempotencyKey() {
      assertThat(kinds(f -> method(f, 0, m -> m.setOptions(m.getOptions().toBuilder()
          .setExtension(OptionsProto.requiresIdempotencyKey, true)))))
          .containsExactly(Kind.METHOD_IDEMPOTENCY_KEY_REQUIRED);
    }

    @Test
    void aRemovedServiceOrFile() {
      assertThat(kinds(f -> f.clearService())).containsExactly(Kind.SERVICE_REMOVED);
      FileDescriptorSet.Builder without = CURRENT.toBuilder();
      without.removeFile(indexOfFile(FILE));
      assertThat(BreakingChangeDetector.compare(CURRENT, without.build()))
          .extracting(Breakage::kind).containsExactly(Kind.FILE_REMOVED);
    }
  }

  @Nested
  @DisplayName("lets through")
  class LetsThrough {

    @Test
    void addedFieldsMessagesAndMethods() {
      assertThat(breaks(f -> {
        message(f, "InferRequest", m -> m.addField(FieldDescriptorProto.newBuilder()
            .setName("stop_words").setNumber(99).setJsonName("stopWords")
            .setLabel(FieldDescriptorProto.Label.LABEL_REPEATED)
            .setType(FieldDescriptorProto.Type.TYPE_STRING)));
        f.addMessageType(DescriptorProto.newBuilder().setName("NewThing"));
        f.setService(0, f.getService(0).toBuilder().addMethod(MethodDescriptorProto.newBuilder()
            .setName("Summarize").setInputType(".ai.llm.v1.InferRequest")
            .setOutputType(".ai.llm.v1.InferResponse")));
      })).isEmpty();
    }

    @Test
    void aRemovedFieldWhoseNumberAndNameAreReserved() {
      assertThat(breaks(f -> message(f, "InferRequest", m -> m.removeField(1)
          .addReservedRange(DescriptorProto.ReservedRange.newBuilder().setStart(2).setEnd(3))
          .addReservedName("model")))).isEmpty();
    }
  }

  @Test
  void theBuildStepFailsNamingWhatBroke(@TempDir Path dir) throws Exception {
    Path baseline = dir.resolve("baseline.txtpb");
    Files.writeString(baseline, BaselineCheck.render(CURRENT));
    FileDescriptorSet broken = edit(f -> message(f, "InferResponse", m -> m.removeField(0)));
    Path current = dir.resolve("current.binpb");
    Files.write(current, broken.toByteArray());
    assertThatThrownBy(() -> BaselineCheck.run(baseline, current, false))
        .isInstanceOf(BaselineCheck.ContractBreakException.class)
        .hasMessageContaining("The contract change breaks old clients (1 break):")
        .hasMessageContaining("FIELD_REMOVED ai.llm.v1.InferResponse.generation_id");
  }

  // --- editing helpers ------------------------------------------------------------------------

  private static List<Breakage> breaks(java.util.function.Consumer<FileDescriptorProto.Builder> change) {
    return BreakingChangeDetector.compare(CURRENT, edit(change));
  }

  private static List<Kind> kinds(java.util.function.Consumer<FileDescriptorProto.Builder> change) {
    return breaks(change).stream().map(Breakage::kind).toList();
  }

  private static FileDescriptorSet edit(java.util.function.Consumer<FileDescriptorProto.Builder> change) {
    FileDescriptorSet.Builder set = CURRENT.toBuilder();
    int index = indexOfFile(FILE);
    FileDescriptorProto.Builder file = set.getFile(index).toBuilder();
    change.accept(file);
    set.setFile(index, file);
    return set.build();
  }

  private static int indexOfFile(String name) {
    for (int i = 0; i < CURRENT.getFileCount(); i++) {
      if (CURRENT.getFile(i).getName().equals(name)) {
        return i;
      }
    }
    throw new AssertionError("no file " + name);
  }

  private static int indexOf(FileDescriptorProto.Builder file, String message) {
    for (int i = 0; i < file.getMessageTypeCount(); i++) {
      if (file.getMessageType(i).getName().equals(message)) {
        return i;
      }
    }
    throw new AssertionError("no message " + message);
  }

  private static void message(FileDescriptorProto.Builder file, String name,
      UnaryOperator<DescriptorProto.Builder> change) {
    int i = indexOf(file, name);
    file.setMessageType(i, change.apply(file.getMessageType(i).toBuilder()));
  }

  private static void enumType(FileDescriptorProto.Builder file, String name,
      UnaryOperator<EnumDescriptorProto.Builder> change) {
    for (int i = 0; i < file.getEnumTypeCount(); i++) {
      if (file.getEnumType(i).getName().equals(name)) {
        file.setEnumType(i, change.apply(file.getEnumType(i).toBuilder()));
        return;
      }
    }
    throw new AssertionError("no enum " + name);
  }

  private static void method(FileDescriptorProto.Builder file, int index,
      UnaryOperator<MethodDescriptorProto.Builder> change) {
    var service = file.getService(0).toBuilder();
    service.setMethod(index, change.apply(service.getMethod(index).toBuilder()));
    file.setService(0, service);
  }
}
