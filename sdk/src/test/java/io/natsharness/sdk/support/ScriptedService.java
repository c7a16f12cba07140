package io.natsharness.sdk.support;

import com.google.protobuf.Message;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.sdk.service.Endpoints;
import io.natsharness.sdk.service.NatsService;
import io.natsharness.sdk.service.StreamHandler;
import io.natsharness.sdk.service.UnaryHandler;
import io.natsharness.sdk.status.RpcException;
import java.util.HashMap;
import java.util.Map;

/**
 * A catalog service whose methods run the handlers a test gives; the others answer UNIMPLEMENTED.
 *
 * <pre>{@code
 * NatsService payment = ScriptedService.of("payment").unary("get_balance", (req, ctx) -> wallet);
 * }</pre>
 */
public final class ScriptedService implements NatsService {

  private final String name;
  private final Map<String, UnaryHandler<Message, Message>> unary = new HashMap<>();
  private final Map<String, StreamHandler<Message, Message>> stream = new HashMap<>();

  private ScriptedService(String name) {
    this.name = name;
  }

  public static ScriptedService of(String name) {
    return new ScriptedService(name);
  }

  @SuppressWarnings("unchecked")
  public <Q extends Message, R extends Message> ScriptedService unary(String method, UnaryHandler<Q, R> handler) {
    unary.put(method, (UnaryHandler<Message, Message>) (UnaryHandler<?, ?>) handler);
    return this;
  }

  @SuppressWarnings("unchecked")
  public <Q extends Message, R extends Message> ScriptedService stream(String method, StreamHandler<Q, R> handler) {
    stream.put(method, (StreamHandler<Message, Message>) (StreamHandler<?, ?>) handler);
    return this;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void bind(Endpoints endpoints) {
    for (MethodInfo m : ServiceCatalog.load().service(name).orElseThrow().methods()) {
      if (m.serverStreaming()) {
        endpoints.stream(m.name(), stream.getOrDefault(m.name(), (req, ctx, sink) -> {
          throw RpcException.unimplemented(m.subject() + " is not scripted");
        }));
      } else {
        endpoints.unary(m.name(), unary.getOrDefault(m.name(), (req, ctx) -> {
          throw RpcException.unimplemented(m.subject() + " is not scripted");
        }));
      }
    }
  }
}
