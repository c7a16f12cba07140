package io.natsharness.conformance.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.rpc.Code;
import com.google.rpc.Status;
import io.natsharness.conformance.check.Check;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.conformance.check.CheckSkipped;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Wire rules checked once per service. */
final class ServiceChecks {

  /** The server's max_payload unless it says otherwise (nats-server's default, 1 MiB). */
  static final int DEFAULT_MAX_PAYLOAD = 1024 * 1024;

  private ServiceChecks() {}

  static List<Check> forService(ServiceInfo service) {
    String name = service.name();
    List<Check> checks = new ArrayList<>();
    checks.add(Check.of("wire." + name + ".unknown_method", name,
        "a subject of the service that no method has gives no responders, at once",
        ctx -> unknownMethod(ctx, service)));
    checks.add(Check.of("wire." + name + ".near_max_payload", name,
        "a request close to the server's max_payload is answered, and the service goes on answering",
        ctx -> nearMaxPayload(ctx, service)));
    checks.add(Check.of("wire." + name + ".error_message_special_characters", name,
        "an error message that quotes the request survives quotes, markup, non-ASCII and line breaks",
        ctx -> specialCharacters(ctx, service)));
    return checks;
  }

  private static void unknownMethod(CheckContext ctx, ServiceInfo service) {
    String subject = service.subjectPrefix() + ".no_such_method_" + Long.toHexString(System.nanoTime());
    long start = System.nanoTime();
    WireReply reply = new WireProbe(ctx.nats(), Duration.ofSeconds(3))
        .request(subject, WireRequests.headers(), new byte[0]);
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(reply.isNoResponders()).as("reply on %s", subject).isTrue();
    assertThat(millis).as("ms until no responders on %s", subject).isLessThan(1000);
  }

  private static void nearMaxPayload(CheckContext ctx, ServiceInfo service) {
    long maxPayload = ctx.nats().getServerInfo() == null ? DEFAULT_MAX_PAYLOAD : ctx.nats().getMaxPayload();
    MethodInfo method = service.methods().stream().filter(m -> !m.serverStreaming()).findFirst().orElseThrow();
    // Field 15 (unknown to every request type) as a length-delimited blob: parses, then the
    // service decides; any well-formed answer is fine, silence or a dead service is not.
    int size = (int) Math.max(1024, maxPayload - 8 * 1024);
    byte[] body = new byte[size];
    body[0] = 0x7a; // field 15, wire type 2
    int length = size - 5;
    body[1] = (byte) (0x80 | (length & 0x7f));
    body[2] = (byte) (0x80 | ((length >> 7) & 0x7f));
    body[3] = (byte) ((length >> 14) & 0x7f);
    byte[] payload = java.util.Arrays.copyOf(body, 4 + length);
    WireProbe probe = new WireProbe(ctx.nats(), Duration.ofSeconds(10));
    WireReply reply = probe.request(method.subject(), WireRequests.headers(), payload);
    assertThat(reply.isNoResponders()).as("no responders to a %d-byte request on %s", payload.length, method).isFalse();
    if (reply.isError()) {
      assertThat(reply.status().getMessage()).isNotBlank();
    }
    WireReply after = probe.request(method.subject(), WireRequests.headers(), WireRequests.MALFORMED_PROTOBUF);
    ErrorReplies.assertError(after, Code.INVALID_ARGUMENT);
  }

  private static void specialCharacters(CheckContext ctx, ServiceInfo service) {
    Optional<MethodInfo> lookup = service.methods().stream()
        .filter(m -> !m.serverStreaming() && m.errorCodes().contains(Code.NOT_FOUND) && m.hasNoSideEffects())
        .filter(m -> stringPathVariable(m).isPresent())
        .findFirst();
    MethodInfo method = lookup.orElseThrow(() -> new CheckSkipped(
        service.name() + " has no read method that answers NOT_FOUND for a string id"));
    FieldDescriptor field = stringPathVariable(method).orElseThrow();
    String id = "nh-missing-" + ctx.unique("x") + " \"quoted\" <b>&amp; ünïcødé ✓";
    Message.Builder request = method.requestPrototype().newBuilderForType();
    request.setField(field, id);
    // Fill other required-looking string path variables too, so validation passes.
    for (String variable : method.route().pathVariables()) {
      FieldDescriptor other = method.requestType().findFieldByName(variable);
      if (other != field && other.getJavaType() == FieldDescriptor.JavaType.STRING) {
        request.setField(other, "nh-" + variable);
      }
    }
    WireReply reply = new WireProbe(ctx.nats(), ctx.requestTimeout())
        .request(method.subject(), WireRequests.headers(), request.build().toByteArray());
    assertThat(reply.isError()).as("reply of %s for a missing id", method).isTrue();
    Status status = reply.status();
    assertThat(reply.statusHeader()).as("status of %s for a missing id", method)
        .hasValueSatisfying(c -> assertThat(c).isIn(Code.NOT_FOUND, Code.INVALID_ARGUMENT));
    ErrorReplies.assertError(reply, reply.statusHeader().orElseThrow());
    if (status.getMessage().contains("nh-missing-")) {
      assertThat(status.getMessage()).as("the id quoted in the Status message").contains(id);
    }
  }

  private static Optional<FieldDescriptor> stringPathVariable(MethodInfo method) {
    return method.route().pathVariables().stream()
        .map(v -> method.requestType().findFieldByName(v))
        .filter(f -> f != null && f.getJavaType() == FieldDescriptor.JavaType.STRING)
        .reduce((first, second) -> second);
  }
}
