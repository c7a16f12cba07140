package io.natsharness.conformance.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.Code;
import com.google.rpc.Status;
import io.nats.client.impl.Headers;
import io.natsharness.conformance.check.Check;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.sdk.status.WireHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The wire rules every method follows whatever its behaviour: how it refuses malformed bodies,
 * unknown content types and expired deadlines, that it speaks proto3 JSON, and that it echoes the
 * request id. None of them needs a valid request.
 */
final class MethodChecks {

  private MethodChecks() {}

  static List<Check> forMethod(MethodInfo method) {
    String prefix = "wire." + method.service() + "." + method.name() + ".";
    return List.of(
        Check.of(prefix + "malformed_protobuf", method.service(),
            "a body that is not protobuf gives INVALID_ARGUMENT with both error headers and a Status body",
            ctx -> assertFirstError(ctx, method, WireRequests.headers(), WireRequests.MALFORMED_PROTOBUF,
                Code.INVALID_ARGUMENT)),
        Check.of(prefix + "unknown_content_type", method.service(),
            "an unknown Content-Type gives INVALID_ARGUMENT naming the Content-Type",
            ctx -> {
              Headers headers = WireRequests.headers();
              headers.put(WireHeaders.CONTENT_TYPE, "application/x-yaml");
              Status status = ErrorReplies.assertError(first(ctx, method, headers, new byte[0]), Code.INVALID_ARGUMENT);
              // An empty body may be invalid for other reasons: the error must be about the header.
              assertThat(ErrorReplies.fields(status)).as("fields named by the error details of %s", method)
                  .anySatisfy(f -> assertThat(f).isEqualToIgnoringCase(WireHeaders.CONTENT_TYPE));
            }),
        Check.of(prefix + "expired_deadline", method.service(),
            "a request past its Nh-Deadline gives DEADLINE_EXCEEDED",
            ctx -> {
              Headers headers = WireRequests.headers();
              headers.put(WireHeaders.NH_DEADLINE, Long.toString(Instant.now().minusSeconds(1).toEpochMilli()));
              assertFirstError(ctx, method, headers, new byte[0], Code.DEADLINE_EXCEEDED);
            }),
        Check.of(prefix + "json_content_type", method.service(),
            "a proto3 JSON request is answered in JSON: a response of the method's type or a Status",
            ctx -> json(ctx, method)),
        Check.of(prefix + "request_id_echo", method.service(),
            "Nh-Request-Id is echoed in the reply",
            ctx -> {
              Headers headers = WireRequests.headers();
              String id = ctx.unique("rid");
              headers.put(WireHeaders.NH_REQUEST_ID, id);
              WireReply reply = first(ctx, method, headers, WireRequests.MALFORMED_PROTOBUF);
              assertThat(reply.header(WireHeaders.NH_REQUEST_ID)).as("Nh-Request-Id of %s", reply).contains(id);
            }));
  }

  /** The reply of a unary method, or the first message of a stream. */
  static WireReply first(CheckContext ctx, MethodInfo method, Headers headers, byte[] body) {
    WireProbe probe = new WireProbe(ctx.nats(), ctx.requestTimeout());
    if (!method.serverStreaming()) {
      return probe.request(method.subject(), headers, body);
    }
    List<WireReply> replies = probe.stream(method.subject(), headers, body, ctx.requestTimeout());
    assertThat(replies).as("messages of stream %s", method).isNotEmpty();
    return replies.get(0);
  }

  private static void assertFirstError(CheckContext ctx, MethodInfo method, Headers headers, byte[] body,
      Code expected) {
    ErrorReplies.assertError(first(ctx, method, headers, body), expected);
  }

  private static void json(CheckContext ctx, MethodInfo method) throws InvalidProtocolBufferException {
    Headers headers = WireRequests.headers();
    headers.put(WireHeaders.CONTENT_TYPE, WireHeaders.APPLICATION_JSON);
    WireReply reply;
    if (method.serverStreaming()) {
      // A stream may legitimately wait for data (watch_region): bound it with a short deadline.
      headers.put(WireHeaders.NH_DEADLINE, Long.toString(Instant.now().plusMillis(1500).toEpochMilli()));
      List<WireReply> replies = new WireProbe(ctx.nats(), ctx.requestTimeout())
          .stream(method.subject(), headers, "{}".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(3));
      assertThat(replies).as("messages of stream %s", method).isNotEmpty();
      reply = replies.get(0);
    } else {
      reply = new WireProbe(ctx.nats(), ctx.requestTimeout())
          .request(method.subject(), headers, "{}".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(reply.isNoResponders()).as("no responders on %s", method).isFalse();
    if (reply.isError()) {
      assertThat(reply.isJson()).as("Content-Type of the error reply to a JSON request").isTrue();
      Code code = reply.statusHeader().orElseThrow();
      assertThat(Code.forNumber(reply.status().getCode())).as("Status body code").isEqualTo(code);
      assertThat(code).as("status of %s to {}", method)
          .isIn(List.of(Code.INVALID_ARGUMENT, Code.NOT_FOUND, Code.FAILED_PRECONDITION,
              Code.DEADLINE_EXCEEDED, Code.ALREADY_EXISTS, Code.ABORTED, Code.OUT_OF_RANGE,
              Code.UNAUTHENTICATED, Code.PERMISSION_DENIED, Code.RESOURCE_EXHAUSTED));
    } else if (reply.body().length > 0 || !method.serverStreaming()) {
      assertThat(reply.isJson()).as("Content-Type of the reply to a JSON request").isTrue();
      Message.Builder response = method.responsePrototype().newBuilderForType();
      JsonFormat.parser().merge(new String(reply.body(), StandardCharsets.UTF_8), response);
    }
  }
}
