package io.natsharness.proto.catalog;

import com.google.protobuf.DescriptorProtos.MethodOptions.IdempotencyLevel;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Message;
import com.google.rpc.Code;
import java.util.List;

/**
 * One method of the catalog: everything a caller, a gateway or a suite needs to know about it.
 *
 * <pre>{@code
 * MethodInfo infer = ServiceCatalog.load().method("svc.ai.llm.v1.infer").orElseThrow();
 * Message request = infer.requestPrototype().newBuilderForType()...build();
 * }</pre>
 *
 * @param service the ADR-32 name of the owning service, e.g. {@code ai_integration}
 * @param name the method name as it appears in the subject, e.g. {@code infer_stream}
 * @param subject the NATS request subject
 * @param descriptor the protobuf method descriptor (from the generated classes)
 * @param requestPrototype default instance of the generated request class
 * @param responsePrototype default instance of the generated response class
 * @param route the {@code google.api.http} binding
 * @param serverStreaming whether the method answers with a stream of messages
 * @param requiresIdempotencyKey whether callers must send an {@code Idempotency-Key}
 * @param idempotencyLevel protobuf's standard idempotency level (NO_SIDE_EFFECTS for reads)
 * @param errorCodes the error codes the method documents
 * @param documentation the method's comment in the proto file
 */
public record MethodInfo(
    String service,
    String name,
    String subject,
    MethodDescriptor descriptor,
    Message requestPrototype,
    Message responsePrototype,
    HttpRoute route,
    boolean serverStreaming,
    boolean requiresIdempotencyKey,
    IdempotencyLevel idempotencyLevel,
    List<Code> errorCodes,
    String documentation) {

  public MethodInfo {
    errorCodes = List.copyOf(errorCodes);
  }

  public Descriptor requestType() {
    return descriptor.getInputType();
  }

  public Descriptor responseType() {
    return descriptor.getOutputType();
  }

  /** True for pure reads: the method changes no state. */
  public boolean hasNoSideEffects() {
    return idempotencyLevel == IdempotencyLevel.NO_SIDE_EFFECTS;
  }

  /**
   * Whether a failed call may be sent again without harm: a read, a method declared
   * IDEMPOTENT, or one whose repeats are made harmless by an Idempotency-Key.
   */
  public boolean isSafeToRetry() {
    return idempotencyLevel != IdempotencyLevel.IDEMPOTENCY_UNKNOWN || requiresIdempotencyKey;
  }

  @Override
  public String toString() {
    return subject;
  }
}
