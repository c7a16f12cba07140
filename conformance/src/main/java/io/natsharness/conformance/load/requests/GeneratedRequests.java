package io.natsharness.conformance.load.requests;

import com.google.protobuf.Message;
import com.google.rpc.Code;
import io.nats.client.Connection;
import io.natsharness.conformance.shadow.generate.Bindings;
import io.natsharness.conformance.shadow.generate.RequestGenerators;
import io.natsharness.conformance.shadow.generate.Scenario;
import io.natsharness.conformance.shadow.generate.Step;
import io.natsharness.conformance.shadow.sides.Call;
import io.natsharness.conformance.shadow.sides.ShadowSide;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.diff.Answer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Request bodies from the shadow suite's {@link RequestGenerators}: the scenario of the method's
 * service runs once per round over NATS (creating what the requests refer to: a wallet before a
 * charge, the settings catalogue before a get), its successful requests of the method are kept,
 * then each is sent once more and kept only if it still succeeds (a later step may have deleted
 * what it reads).
 *
 * <pre>{@code
 * RequestSource bodies = new GeneratedRequests(RequestGenerators.create(), nats, 42, 3);
 * LoadRequests r = bodies.requests(catalog.method("svc.util.settings.v1.get").orElseThrow());
 * }</pre>
 */
public final class GeneratedRequests implements RequestSource {

  private final RequestGenerators generators;
  private final Connection nats;
  private final long seed;
  private final int rounds;
  /** Names of this run's state, apart from other runs' on a store that is not wiped. */
  private final String namespace = "ld" + Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36 * 36 * 36), 36);

  /**
   * @param nats a connection to the implementation (used for the setup, not closed here)
   * @param rounds scenarios to run, with seeds {@code seed}, {@code seed+1}, …
   */
  public GeneratedRequests(RequestGenerators generators, Connection nats, long seed, int rounds) {
    this.generators = Objects.requireNonNull(generators, "generators");
    this.nats = Objects.requireNonNull(nats, "nats");
    if (rounds < 1) {
      throw new IllegalArgumentException("rounds must be at least 1, not " + rounds);
    }
    this.seed = seed;
    this.rounds = rounds;
  }

  @Override
  public LoadRequests requests(MethodInfo method) {
    List<Message> candidates = new ArrayList<>();
    Map<String, Integer> refusals = new TreeMap<>();
    try (ShadowSide side = ShadowSide.nats(nats, "load setup")) {
      for (int r = 0; r < rounds; r++) {
        Scenario scenario = generators.scenario(method.service(), seed + r, namespace);
        Bindings bindings = new Bindings();
        for (Step step : scenario.steps()) {
          Message request;
          try {
            request = step.request(bindings);
          } catch (Bindings.UnboundException e) {
            continue;
          }
          Answer answer = side.call(call(step, request, step.idempotencyKey()));
          bindings.put(step.name(), answer);
          if (step.method().subject().equals(method.subject()) && step.expected() == Code.OK) {
            if (answer.code() == Code.OK) {
              candidates.add(request);
            } else {
              refusals.merge(answer.code().name(), 1, Integer::sum);
            }
          }
        }
      }
      List<Message> kept = new ArrayList<>();
      for (Message request : candidates) {
        Optional<String> key = method.requiresIdempotencyKey()
            ? Optional.of("load-probe-" + namespace + "-" + kept.size() + "-" + request.hashCode()) : Optional.empty();
        Answer again = side.call(new Call(method, request, Optional.empty(), "load-probe", key,
            java.time.Duration.ofSeconds(10), io.natsharness.conformance.shadow.generate.StreamRead.ALL));
        if (again.code() == Code.OK) {
          kept.add(request);
        } else {
          refusals.merge(again.code().name() + " on a second send", 1, Integer::sum);
        }
      }
      if (kept.isEmpty()) {
        throw new IllegalStateException("the shadow generators made no request of " + method.subject()
            + " that the implementation answers with success" + (refusals.isEmpty() ? " (the scenario of "
            + method.service() + " has no successful step of it)" : " (answers: " + refusals + ")")
            + "; host the services it needs, or use populated bodies");
      }
      return LoadRequests.of(method, kept, "shadow generators, seed " + seed + ", " + kept.size()
          + (kept.size() == 1 ? " body" : " bodies"));
    }
  }

  private static Call call(Step step, Message request, Optional<String> key) {
    return new Call(step.method(), request, Optional.empty(), "load-setup-" + step.name(), key, step.timeout(), step.read());
  }
}
