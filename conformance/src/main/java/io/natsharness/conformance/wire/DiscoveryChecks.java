package io.natsharness.conformance.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.natsharness.conformance.check.Check;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.conformance.check.CheckSkipped;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** ADR-32 discovery: {@code $SRV.PING|INFO|STATS} in all three forms, and what they report. */
final class DiscoveryChecks {

  static final Duration WINDOW = Duration.ofMillis(400);

  private DiscoveryChecks() {}

  static List<Check> forService(ServiceInfo service) {
    String name = service.name();
    List<Check> checks = new ArrayList<>();
    checks.add(Check.of("wire." + name + ".discovery.ping", name,
        "$SRV.PING, $SRV.PING." + name + " and $SRV.PING." + name + ".<id> answer with valid ping responses",
        ctx -> ping(ctx, service)));
    checks.add(Check.of("wire." + name + ".discovery.info", name,
        "$SRV.INFO." + name + " lists one endpoint per method, on its subject, in queue group q",
        ctx -> info(ctx, service)));
    checks.add(Check.of("wire." + name + ".discovery.stats", name,
        "$SRV.STATS." + name + " reports every required field for every endpoint",
        ctx -> stats(ctx, service)));
    checks.add(Check.of("wire." + name + ".stats.counts_errors", name,
        "STATS num_requests and num_errors count an error reply",
        ctx -> statsCountErrors(ctx, service)));
    checks.add(Check.of("wire." + name + ".queue_group", name,
        "two instances share requests through the queue group",
        ctx -> queueGroup(ctx, service)));
    return checks;
  }

  private static WireProbe probe(CheckContext ctx) {
    return new WireProbe(ctx.nats(), ctx.requestTimeout());
  }

  private static void ping(CheckContext ctx, ServiceInfo service) {
    WireProbe probe = probe(ctx);
    List<JsonNode> all = probe.discover("$SRV.PING", WINDOW);
    assertThat(all).as("$SRV.PING replies").anySatisfy(r -> assertThat(r.path("name").asText()).isEqualTo(service.name()));
    List<JsonNode> named = probe.discover("$SRV.PING." + service.name(), WINDOW);
    assertThat(named).as("$SRV.PING.%s replies", service.name()).isNotEmpty()
        .allSatisfy(r -> assertThat(r.path("name").asText()).isEqualTo(service.name()));
    for (JsonNode reply : named) {
      assertThat(MicroSchemas.PING.violations(reply)).as("ping response %s", reply).isEmpty();
      assertThat(reply.path("version").asText()).as("version").isEqualTo(service.version());
    }
    String id = named.get(0).path("id").asText();
    List<JsonNode> byId = probe.discover("$SRV.PING." + service.name() + "." + id, WINDOW);
    assertThat(byId).as("$SRV.PING.%s.%s replies", service.name(), id).hasSize(1);
    assertThat(byId.get(0).path("id").asText()).isEqualTo(id);
  }

  private static void info(CheckContext ctx, ServiceInfo service) {
    List<JsonNode> replies = probe(ctx).discover("$SRV.INFO." + service.name(), WINDOW);
    assertThat(replies).as("$SRV.INFO.%s replies", service.name()).isNotEmpty();
    for (JsonNode reply : replies) {
      assertThat(MicroSchemas.INFO.violations(reply)).as("info response %s", reply).isEmpty();
      Map<String, JsonNode> bySubject = new HashMap<>();
      reply.path("endpoints").forEach(e -> bySubject.put(e.path("subject").asText(), e));
      for (MethodInfo method : service.methods()) {
        assertThat(bySubject).as("INFO endpoints of %s", service.name()).containsKey(method.subject());
        assertThat(bySubject.get(method.subject()).path("queue_group").asText())
            .as("queue group of %s", method.subject()).isEqualTo("q");
      }
      assertThat(bySubject).as("INFO endpoints of %s, one per method", service.name())
          .hasSize(service.methods().size());
    }
    // The same instance answers on the .<name>.<id> form.
    String id = replies.get(0).path("id").asText();
    assertThat(probe(ctx).discover("$SRV.INFO." + service.name() + "." + id, WINDOW)).hasSize(1);
  }

  private static void stats(CheckContext ctx, ServiceInfo service) {
    List<JsonNode> replies = probe(ctx).discover("$SRV.STATS." + service.name(), WINDOW);
    assertThat(replies).as("$SRV.STATS.%s replies", service.name()).isNotEmpty();
    for (JsonNode reply : replies) {
      assertThat(MicroSchemas.STATS.violations(reply)).as("stats response %s", reply).isEmpty();
      assertThat(reply.path("endpoints")).hasSize(service.methods().size());
    }
    String id = replies.get(0).path("id").asText();
    assertThat(probe(ctx).discover("$SRV.STATS." + service.name() + "." + id, WINDOW)).hasSize(1);
  }

  /** Sums an endpoint's counter over every instance that answers. */
  static long total(CheckContext ctx, ServiceInfo service, String subject, String counter) {
    long sum = 0;
    for (JsonNode reply : probe(ctx).discover("$SRV.STATS." + service.name(), WINDOW)) {
      for (JsonNode endpoint : reply.path("endpoints")) {
        if (endpoint.path("subject").asText().equals(subject)) {
          sum += endpoint.path(counter).asLong();
        }
      }
    }
    return sum;
  }

  private static void statsCountErrors(CheckContext ctx, ServiceInfo service) {
    MethodInfo method = service.methods().get(0);
    long requests = total(ctx, service, method.subject(), "num_requests");
    long errors = total(ctx, service, method.subject(), "num_errors");
    WireReply reply = probe(ctx).request(method.subject(), WireRequests.headers(), WireRequests.MALFORMED_PROTOBUF);
    assertThat(reply.isError()).as("a malformed request to %s is answered with an error", method).isTrue();
    assertThat(total(ctx, service, method.subject(), "num_requests"))
        .as("num_requests of %s after one more request", method.subject()).isGreaterThan(requests);
    assertThat(total(ctx, service, method.subject(), "num_errors"))
        .as("num_errors of %s after one error reply", method.subject()).isGreaterThan(errors);
  }

  private static void queueGroup(CheckContext ctx, ServiceInfo service) throws Exception {
    CheckContext.InstanceControl control = ctx.instances().orElseThrow(
        () -> new CheckSkipped("the target cannot start a second instance"));
    MethodInfo method = service.methods().get(0);
    try (AutoCloseable second = control.startAnother(service.name())) {
      WireProbe probe = probe(ctx);
      List<JsonNode> before = probe.discover("$SRV.STATS." + service.name(), WINDOW);
      assertThat(before).as("instances of %s answering STATS", service.name()).hasSizeGreaterThanOrEqualTo(2);
      Map<String, Long> start = perInstance(before, method.subject());
      for (int i = 0; i < 40; i++) {
        probe.request(method.subject(), WireRequests.headers(), WireRequests.MALFORMED_PROTOBUF);
      }
      Map<String, Long> end = perInstance(probe.discover("$SRV.STATS." + service.name(), WINDOW), method.subject());
      long served = end.entrySet().stream()
          .filter(e -> e.getValue() > start.getOrDefault(e.getKey(), 0L)).count();
      assertThat(served).as("instances that served some of 40 requests (per instance: %s -> %s)", start, end)
          .isGreaterThanOrEqualTo(2);
      // Shared, not copied: without a queue group every instance gets every request.
      long total = end.entrySet().stream().mapToLong(e -> e.getValue() - start.getOrDefault(e.getKey(), 0L)).sum();
      assertThat(total).as("requests counted over all instances for 40 sent (per instance: %s -> %s)", start, end)
          .isEqualTo(40);
    }
  }

  private static Map<String, Long> perInstance(List<JsonNode> stats, String subject) {
    Map<String, Long> counts = new HashMap<>();
    for (JsonNode reply : stats) {
      for (JsonNode endpoint : reply.path("endpoints")) {
        if (endpoint.path("subject").asText().equals(subject)) {
          counts.put(reply.path("id").asText(), endpoint.path("num_requests").asLong());
        }
      }
    }
    return counts;
  }
}
