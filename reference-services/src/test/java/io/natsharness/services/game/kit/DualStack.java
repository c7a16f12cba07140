package io.natsharness.services.game.kit;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import com.google.protobuf.Timestamp;
import com.google.rpc.Status;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.sdk.client.CallOptions;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.services.testing.Answer;
import io.natsharness.services.testing.HttpTransport;
import io.natsharness.services.testing.NatsTransport;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Asks the same question over NATS and over the legacy HTTP/JSON side and compares the answers.
 *
 * <p>A read is asked twice as is. A write changes state, so it is asked as twins that differ only
 * in an id (e.g. {@code ds-nats-1} over NATS, {@code ds-http-1} over HTTP): both answers' texts go
 * through a mapping that replaces the HTTP id by the NATS one (and may blank out values derived
 * from the ids), and every timestamp is cleared, before comparing.
 *
 * <pre>{@code
 * DualStack dual = new DualStack(hosted.host().httpUrl(), client);
 * dual.assertSame(method, natsRequest, httpRequest, Optional.of("key"), s -> s.replace("ds-http", "ds-nats"));
 * }</pre>
 */
public final class DualStack {

  private final HttpTransport http;
  private final NatsTransport nats;

  public DualStack(String httpUrl, RpcClient client) {
    this.http = new HttpTransport(httpUrl);
    this.nats = new NatsTransport(client);
  }

  /** The same request over both transports (a read, or an error that changes nothing). */
  public Answer assertSame(MethodInfo method, Message request) {
    return assertSame(method, request, request, Optional.empty(), UnaryOperator.identity());
  }

  /** Twin requests; {@code httpToNats} maps the HTTP answer's text onto the NATS one's ids. */
  public Answer assertSame(MethodInfo method, Message natsRequest, Message httpRequest, Optional<String> idempotencyKey,
      UnaryOperator<String> httpToNats) {
    return assertSame(method, natsRequest, httpRequest, idempotencyKey, httpToNats, Optional.empty());
  }

  /** As above, each call with its own deadline {@code timeout} from its start (streams end at it). */
  public Answer assertSame(MethodInfo method, Message natsRequest, Message httpRequest, Optional<String> idempotencyKey,
      UnaryOperator<String> httpToNats, Optional<Duration> timeout) {
    CallOptions.Builder options = CallOptions.builder();
    idempotencyKey.ifPresent(options::idempotencyKey);
    timeout.ifPresent(options::timeout);
    Answer overNats = nats.call(method, natsRequest, options.build());
    Map<String, String> headers = new HashMap<>(HttpTransport.headers(idempotencyKey.map(k -> k + "-http")));
    timeout.ifPresent(t -> headers.put("Nh-Deadline", Long.toString(Instant.now().plus(t).toEpochMilli())));
    Answer overHttp = http.call(method, httpRequest, headers);

    // The mapping is applied to both sides: it may also blank out values derived from the ids.
    assertThat(httpToNats.apply(text(overHttp))).as("%s over HTTP vs NATS", method.subject())
        .isEqualTo(httpToNats.apply(text(overNats)));
    return overNats;
  }

  private static String text(Answer answer) {
    StringBuilder out = new StringBuilder();
    for (Message m : answer.messages()) {
      out.append(TextFormat.printer().printToString(withoutTimestamps(m))).append("---\n");
    }
    answer.error().ifPresent(s -> out.append("error ").append(TextFormat.printer().printToString(s)));
    return out.toString();
  }

  /** The message with every google.protobuf.Timestamp field, at any depth, cleared. */
  static Message withoutTimestamps(Message m) {
    Message.Builder b = m.toBuilder();
    for (Map.Entry<FieldDescriptor, Object> e : m.getAllFields().entrySet()) {
      FieldDescriptor f = e.getKey();
      if (f.getJavaType() != FieldDescriptor.JavaType.MESSAGE || f.isMapField()) {
        continue;
      }
      if (f.getMessageType().equals(Timestamp.getDescriptor())) {
        b.clearField(f);
      } else if (f.isRepeated()) {
        List<?> values = (List<?>) e.getValue();
        b.clearField(f);
        values.forEach(v -> b.addRepeatedField(f, withoutTimestamps((Message) v)));
      } else if (!f.getMessageType().equals(Status.getDescriptor())) {
        b.setField(f, withoutTimestamps((Message) e.getValue()));
      }
    }
    return b.build();
  }
}
