package io.natsharness.services.infra.capabilities;

import static io.natsharness.services.testing.RpcAssertions.assertInvalid;
import static io.natsharness.services.testing.RpcAssertions.assertRpcError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.util.Timestamps;
import com.google.rpc.Code;
import io.nats.client.JetStreamManagement;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.harness.NatsHarnessTest;
import io.natsharness.proto.infra.capabilities.v1.DeregisterRequest;
import io.natsharness.proto.infra.capabilities.v1.HeartbeatRequest;
import io.natsharness.proto.infra.capabilities.v1.Instance;
import io.natsharness.proto.infra.capabilities.v1.InstanceExpired;
import io.natsharness.proto.infra.capabilities.v1.InstanceRegistered;
import io.natsharness.proto.infra.capabilities.v1.LookupRequest;
import io.natsharness.proto.infra.capabilities.v1.LookupResponse;
import io.natsharness.proto.infra.capabilities.v1.RegisterRequest;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.services.host.ReferenceHost;
import io.natsharness.services.testing.MutableClock;
import io.natsharness.services.testing.StoredEvents;
import io.natsharness.services.testing.TestHosts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@NatsHarnessTest
@DisplayName("capability_registry")
class CapabilityRegistryServiceTest {

  private static final MutableClock CLOCK = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
  private static ReferenceHost host;

  @BeforeAll
  static void startHost(HarnessRuntimeInfo info) {
    host = TestHosts.builder(info, "capability_registry").withClock(CLOCK).start();
  }

  @AfterAll
  static void stopHost() {
    host.close();
  }

  private static RegisterRequest.Builder request(String id, String service, String... capabilities) {
    return RegisterRequest.newBuilder().setInstanceId(id).setServiceName(service)
        .addAllCapabilities(List.of(capabilities)).setTtlSeconds(10);
  }

  private static Instance register(RpcClient client, RegisterRequest.Builder request) {
    return client.call("svc.infra.capabilities.v1.register", request.build());
  }

  private static List<String> lookup(RpcClient client, String capability, String service) {
    LookupResponse r = client.call("svc.infra.capabilities.v1.lookup",
        LookupRequest.newBuilder().setCapability(capability).setServiceName(service).build());
    return r.getInstancesList().stream().map(Instance::getInstanceId).toList();
  }

  @Nested
  @DisplayName("register")
  class Register {

    @Test
    @DisplayName("starts a lease of ttl_seconds, sorts capabilities and publishes instance_registered")
    void registers(RpcClient client, JetStreamManagement jsm) {
      Instance i = register(client, request("reg-1", "quest_system", "quests.write", "quests.read", "quests.read")
          .putMetadata("zone", "eu-1"));
      assertThat(i.getCapabilitiesList()).containsExactly("quests.read", "quests.write");
      assertThat(Timestamps.between(i.getRenewedAt(), i.getExpiresAt()).getSeconds()).isEqualTo(10);
      assertThat(i.getRegisteredAt()).isEqualTo(i.getRenewedAt());
      assertThat(i.getMetadataMap()).containsEntry("zone", "eu-1");
      assertThat(StoredEvents.withId(jsm, "EVT_INFRA", "evt.infra.capabilities.v1.instance_registered",
          "instance_registered:reg-1:" + CLOCK.millis(), InstanceRegistered.parser())).hasSize(1);
    }

    @Test
    @DisplayName("again for the same service replaces the capabilities and keeps registered_at")
    void reRegisters(RpcClient client) {
      Instance first = register(client, request("reg-2", "npc_behavior", "npc.decide"));
      CLOCK.advance(Duration.ofSeconds(2));
      Instance second = register(client, request("reg-2", "npc_behavior", "npc.profile"));
      assertThat(second.getRegisteredAt()).isEqualTo(first.getRegisteredAt());
      assertThat(second.getRenewedAt()).isNotEqualTo(first.getRenewedAt());
      assertThat(lookup(client, "npc.decide", "")).doesNotContain("reg-2");
      assertThat(lookup(client, "npc.profile", "")).contains("reg-2");
    }

    @Test
    @DisplayName("of an id live under another service is ALREADY_EXISTS")
    void otherService(RpcClient client) {
      register(client, request("reg-3", "world_state", "world.read"));
      assertRpcError(() -> register(client, request("reg-3", "payment", "pay")), Code.ALREADY_EXISTS,
          "instance reg-3 is live under service world_state");
    }

    @Test
    @DisplayName("refuses bad capabilities, too many entries and a TTL out of [5, 300]")
    void badInput(RpcClient client) {
      assertInvalid(() -> register(client, request("", "s", "c")), "instance_id", "instance_id: must not be empty");
      assertInvalid(() -> register(client, request("x", "", "c")), "service_name", "service_name: must not be empty");
      assertInvalid(() -> register(client, request("x", "s")), "capabilities", "capabilities: must have at least one entry");
      assertInvalid(() -> register(client, request("x", "s", "ok", "Not OK")), "capabilities[1]",
          "capabilities[1]: must match [a-z0-9][a-z0-9_.:-]{0,127}");
      assertInvalid(() -> register(client, request("x", "s", IntStream.range(0, 65).mapToObj(n -> "c" + n)
          .toArray(String[]::new))), "capabilities", "capabilities: must have at most 64 entries");
      RegisterRequest.Builder metadata = request("x", "s", "c");
      IntStream.range(0, 33).forEach(n -> metadata.putMetadata("k" + n, "v"));
      assertInvalid(() -> register(client, metadata), "metadata", "metadata: must have at most 32 entries");
      assertInvalid(() -> register(client, request("x", "s", "c").setTtlSeconds(4)), "ttl_seconds",
          "ttl_seconds: must be in [5, 300]");
    }
  }

  @Nested
  @DisplayName("leases")
  class Leases {

    @Test
    @DisplayName("lookup sees live instances only, sorted by service then id, optionally of one service")
    void lookupLive(RpcClient client) {
      register(client, request("lk-b", "svc_b", "lk.cap"));
      register(client, request("lk-a2", "svc_a", "lk.cap"));
      register(client, request("lk-a1", "svc_a", "lk.cap"));
      assertThat(lookup(client, "lk.cap", "")).containsExactly("lk-a1", "lk-a2", "lk-b");
      assertThat(lookup(client, "lk.cap", "svc_b")).containsExactly("lk-b");
      assertThat(lookup(client, "nobody.offers", "")).isEmpty();
      assertInvalid(() -> lookup(client, "", ""), "capability", "capability: must not be empty");
    }

    @Test
    @DisplayName("heartbeat renews; a missed TTL expires the instance, which the sweep publishes once")
    void expiry(RpcClient client, JetStreamManagement jsm) {
      Instance registered = register(client, request("ls-1", "svc_l", "ls.cap"));
      CLOCK.advance(Duration.ofSeconds(8));
      Instance renewed = client.call("svc.infra.capabilities.v1.heartbeat",
          HeartbeatRequest.newBuilder().setInstanceId("ls-1").build());
      assertThat(Timestamps.toMillis(renewed.getExpiresAt())).isEqualTo(CLOCK.millis() + 10_000);
      assertThat(renewed.getRegisteredAt()).isEqualTo(registered.getRegisteredAt());
      CLOCK.advance(Duration.ofSeconds(10));
      assertThat(lookup(client, "ls.cap", "")).isEmpty();
      assertRpcError(() -> client.call("svc.infra.capabilities.v1.heartbeat",
          HeartbeatRequest.newBuilder().setInstanceId("ls-1").build()), Code.NOT_FOUND,
          "instance ls-1 is unknown, deregistered or expired");
      String eventId = "instance_expired:ls-1:" + Timestamps.toMillis(renewed.getExpiresAt());
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(StoredEvents.withId(jsm, "EVT_INFRA",
          "evt.infra.capabilities.v1.instance_expired", eventId, InstanceExpired.parser())).hasSize(1));
    }

    @Test
    @DisplayName("deregister removes a live instance at once; a second one is NOT_FOUND")
    void deregister(RpcClient client) {
      register(client, request("dr-1", "svc_d", "dr.cap"));
      Instance removed = client.call("svc.infra.capabilities.v1.deregister",
          DeregisterRequest.newBuilder().setInstanceId("dr-1").build());
      assertThat(removed.getInstanceId()).isEqualTo("dr-1");
      assertThat(lookup(client, "dr.cap", "")).isEmpty();
      assertRpcError(() -> client.call("svc.infra.capabilities.v1.deregister",
          DeregisterRequest.newBuilder().setInstanceId("dr-1").build()), Code.NOT_FOUND,
          "instance dr-1 is unknown, deregistered or expired");
    }

    @Test
    @DisplayName("instances survive a restart of the host")
    void survivesRestart(RpcClient client, HarnessRuntimeInfo info) {
      register(client, request("rs-1", "svc_r", "rs.cap"));
      host.close();
      host = TestHosts.builder(info, "capability_registry").withClock(CLOCK).start();
      assertThat(lookup(client, "rs.cap", "")).containsExactly("rs-1");
    }
  }
}
