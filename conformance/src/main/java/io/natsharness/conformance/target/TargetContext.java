package io.natsharness.conformance.target;

import io.nats.client.Connection;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.sdk.client.RpcClient;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** The {@link CheckContext} of a {@link Target}: its connections, and names unique to this run. */
public final class TargetContext implements CheckContext, AutoCloseable {

  private final Target target;
  private final RpcClient rpc;
  private final UniqueNames names;
  private final Duration requestTimeout;

  public TargetContext(Target target, String runId, Duration requestTimeout) {
    this.target = target;
    this.rpc = RpcClient.builder().connection(target.nats()).defaultDeadline(requestTimeout).build();
    this.names = new UniqueNames(runId);
    this.requestTimeout = requestTimeout;
  }

  @Override
  public Connection nats() {
    return target.nats();
  }

  @Override
  public RpcClient rpc() {
    return rpc;
  }

  @Override
  public Optional<URI> httpBaseUri() {
    return target.httpBaseUri();
  }

  @Override
  public Optional<InstanceControl> instances() {
    return target.instances();
  }

  @Override
  public Duration requestTimeout() {
    return requestTimeout;
  }

  @Override
  public String unique(String base) {
    return names.next(base);
  }

  @Override
  public void close() {
    rpc.close();
  }
}
