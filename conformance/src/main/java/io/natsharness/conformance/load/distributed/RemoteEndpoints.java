package io.natsharness.conformance.load.distributed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.natsharness.conformance.load.transport.Endpoints;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Where remote generators find the implementation: plain URLs, since the plan travels as JSON to
 * other processes (no credentials: the distributed mode targets deployments reachable without).
 *
 * <pre>{@code
 * RemoteEndpoints remote = new RemoteEndpoints("nats://10.0.0.5:4222", Optional.of(URI.create("http://10.0.0.5:8080")),
 *     Optional.empty(), EchoResponder.newSubject());
 * }</pre>
 *
 * @param natsUrl the implementation's NATS
 * @param legacy its legacy HTTP side, if any
 * @param gateway a gateway in front of it, if any
 * @param echoSubject where the raw echo answers
 */
public record RemoteEndpoints(String natsUrl, Optional<URI> legacy, Optional<URI> gateway, String echoSubject) {

  public RemoteEndpoints {
    Objects.requireNonNull(natsUrl, "natsUrl");
    Objects.requireNonNull(legacy, "legacy");
    Objects.requireNonNull(gateway, "gateway");
    Objects.requireNonNull(echoSubject, "echoSubject");
  }

  /** The local form the transports take. */
  public Endpoints local() {
    return new Endpoints(() -> new io.nats.client.Options.Builder().server(natsUrl), legacy, gateway, echoSubject);
  }

  ObjectNode toJson() {
    ObjectNode n = Messages.JSON.createObjectNode();
    n.put("nats", natsUrl);
    legacy.ifPresent(u -> n.put("legacy", u.toString()));
    gateway.ifPresent(u -> n.put("gateway", u.toString()));
    n.put("echo", echoSubject);
    return n;
  }

  static RemoteEndpoints fromJson(JsonNode n) {
    return new RemoteEndpoints(n.required("nats").asText(), Optional.ofNullable(n.get("legacy")).map(v -> URI.create(v.asText())),
        Optional.ofNullable(n.get("gateway")).map(v -> URI.create(v.asText())), n.required("echo").asText());
  }
}
