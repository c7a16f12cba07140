package io.natsharness.conformance.contract.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.groups.Tuple.tuple;

import com.google.protobuf.util.Timestamps;
import com.google.rpc.Code;
import io.natsharness.conformance.check.Check;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.conformance.contract.kit.Breaker;
import io.natsharness.conformance.contract.kit.ContractChecks;
import io.natsharness.conformance.contract.kit.EventSpy;
import io.natsharness.conformance.contract.kit.Names;
import io.natsharness.conformance.contract.kit.Polling;
import io.natsharness.conformance.contract.kit.Rpc;
import io.natsharness.proto.infra.capabilities.v1.DeregisterRequest;
import io.natsharness.proto.infra.capabilities.v1.HeartbeatRequest;
import io.natsharness.proto.infra.capabilities.v1.Instance;
import io.natsharness.proto.infra.capabilities.v1.InstanceDeregistered;
import io.natsharness.proto.infra.capabilities.v1.InstanceExpired;
import io.natsharness.proto.infra.capabilities.v1.InstanceRegistered;
import io.natsharness.proto.infra.capabilities.v1.LookupRequest;
import io.natsharness.proto.infra.capabilities.v1.LookupResponse;
import io.natsharness.proto.infra.capabilities.v1.RegisterRequest;
import java.time.Duration;
import java.util.List;

/**
 * Contract checks of {@code capability_registry}: leases taken by register and renewed by
 * heartbeat, lookups that return live instances only, deregistration, expiry of a missed lease, and
 * the events. Every check uses capabilities unique to the run, so lookups see only its instances.
 *
 * <pre>{@code
 * List<Check> checks = CapabilityRegistryChecks.checks();
 * }</pre>
 */
public final class CapabilityRegistryChecks {

  static final String SERVICE = "capability_registry";

  private CapabilityRegistryChecks() {}

  public static List<Check> checks() {
    return ContractChecks.forService(SERVICE)
        .behaviour("register", "registers_live", "register returns the instance with sorted, de-duplicated"
            + " capabilities and a lease of ttl_seconds (30 by default), lookup finds it, and one"
            + " instance_registered event is published", CapabilityRegistryChecks::registersLive)
        .behaviour("register", "reregister_replaces", "registering a live instance again for the same service"
            + " replaces its capabilities and renews its lease, keeping registered_at",
            CapabilityRegistryChecks::reregisterReplaces)
        .error("register", "live_under_other_service", Code.ALREADY_EXISTS, "an instance_id live under another"
            + " service_name is ALREADY_EXISTS", ctx -> {
              RegisterRequest request = instance(ctx, Names.token(ctx, "cap"));
              registry(ctx).ok("register", request);
              registry(ctx).fails("register", request.toBuilder().setServiceName("other_service").build(),
                  Code.ALREADY_EXISTS);
            })
        .error("register", "invalid_fields", Code.INVALID_ARGUMENT, "an empty instance_id or service_name, no or"
            + " more than 64 capabilities, a malformed capability, more than 32 metadata entries or a ttl outside"
            + " [5, 300] is INVALID_ARGUMENT", CapabilityRegistryChecks::invalidRegistrations)
        .error("register", "expired_deadline_no_side_effect", Code.DEADLINE_EXCEEDED, "a registration past its"
            + " deadline is DEADLINE_EXCEEDED and registers nothing", ctx -> {
              String capability = Names.token(ctx, "cap");
              RegisterRequest request = instance(ctx, capability);
              registry(ctx).call("register").expiredDeadline().fails(request, Code.DEADLINE_EXCEEDED);
              assertThat(lookup(ctx, capability, "")).as("instances after the expired registration").isEmpty();
              registry(ctx).fails("heartbeat", heartbeat(request.getInstanceId()), Code.NOT_FOUND);
            })
        .behaviour("heartbeat", "renews_lease", "heartbeat moves expires_at to now + ttl_seconds",
            CapabilityRegistryChecks::renewsLease)
        .error("heartbeat", "missed_lease_expires", Code.NOT_FOUND, "an instance whose lease ran out is gone:"
            + " lookup leaves it out, heartbeat and deregister are NOT_FOUND, and one instance_expired event is"
            + " published", CapabilityRegistryChecks::missedLeaseExpires)
        .error("heartbeat", "unknown_or_deregistered", Code.NOT_FOUND, "a heartbeat of an unknown or"
            + " deregistered instance is NOT_FOUND", ctx -> {
              registry(ctx).fails("heartbeat", heartbeat(Names.id(ctx, "inst")), Code.NOT_FOUND);
              RegisterRequest request = instance(ctx, Names.token(ctx, "cap"));
              registry(ctx).ok("register", request);
              registry(ctx).ok("deregister", deregister(request.getInstanceId()));
              registry(ctx).fails("heartbeat", heartbeat(request.getInstanceId()), Code.NOT_FOUND);
            })
        .error("heartbeat", "expired_deadline_no_side_effect", Code.DEADLINE_EXCEEDED, "a heartbeat past its"
            + " deadline is DEADLINE_EXCEEDED and renews nothing", ctx -> {
              String capability = Names.token(ctx, "cap");
              Instance registered = registry(ctx).ok("register", instance(ctx, capability));
              Thread.sleep(20);
              registry(ctx).call("heartbeat").expiredDeadline().fails(heartbeat(registered.getInstanceId()),
                  Code.DEADLINE_EXCEEDED);
              assertThat(lookup(ctx, capability, "")).as("the instance after an expired heartbeat")
                  .containsExactly(registered);
            })
        .error("heartbeat", "empty_id", Code.INVALID_ARGUMENT, "an empty instance_id is INVALID_ARGUMENT",
            ctx -> registry(ctx).failsOn("heartbeat", heartbeat(""), "instance_id"))
        .behaviour("lookup", "live_sorted_filtered", "lookup returns the live instances offering a capability,"
            + " sorted by service_name then instance_id, optionally of one service; nobody offering it gives an"
            + " empty list", CapabilityRegistryChecks::liveSortedFiltered)
        .error("lookup", "empty_capability", Code.INVALID_ARGUMENT, "an empty capability is INVALID_ARGUMENT",
            ctx -> registry(ctx).failsOn("lookup", LookupRequest.getDefaultInstance(), "capability"))
        .behaviour("deregister", "removes", "deregister returns the instance's last record, lookup no longer"
            + " finds it, and one instance_deregistered event is published", CapabilityRegistryChecks::removes)
        .error("deregister", "unknown_or_gone", Code.NOT_FOUND, "deregistering an unknown or already"
            + " deregistered instance is NOT_FOUND", ctx -> {
              registry(ctx).fails("deregister", deregister(Names.id(ctx, "inst")), Code.NOT_FOUND);
              RegisterRequest request = instance(ctx, Names.token(ctx, "cap"));
              registry(ctx).ok("register", request);
              registry(ctx).ok("deregister", deregister(request.getInstanceId()));
              registry(ctx).fails("deregister", deregister(request.getInstanceId()), Code.NOT_FOUND);
            })
        .error("deregister", "expired_deadline_no_side_effect", Code.DEADLINE_EXCEEDED, "a deregistration past"
            + " its deadline is DEADLINE_EXCEEDED and the instance stays live", ctx -> {
              String capability = Names.token(ctx, "cap");
              Instance registered = registry(ctx).ok("register", instance(ctx, capability));
              registry(ctx).call("deregister").expiredDeadline().fails(deregister(registered.getInstanceId()),
                  Code.DEADLINE_EXCEEDED);
              assertThat(lookup(ctx, capability, "")).as("the instance after an expired deregistration")
                  .containsExactly(registered);
            })
        .error("deregister", "empty_id", Code.INVALID_ARGUMENT, "an empty instance_id is INVALID_ARGUMENT",
            ctx -> registry(ctx).failsOn("deregister", deregister(""), "instance_id"))
        .build();
  }

  static Rpc registry(CheckContext ctx) {
    return Rpc.of(ctx, SERVICE);
  }

  private static RegisterRequest instance(CheckContext ctx, String capability) {
    return RegisterRequest.newBuilder().setInstanceId(Names.id(ctx, "inst")).setServiceName("quest_system")
        .setServiceVersion("1.0.0").addCapabilities(capability).setEndpoint("svc.game.quests.v1")
        .putMetadata("zone", "eu-1").build();
  }

  private static HeartbeatRequest heartbeat(String id) {
    return HeartbeatRequest.newBuilder().setInstanceId(id).build();
  }

  private static DeregisterRequest deregister(String id) {
    return DeregisterRequest.newBuilder().setInstanceId(id).build();
  }

  private static List<Instance> lookup(CheckContext ctx, String capability, String service) {
    LookupResponse found = registry(ctx).ok("lookup", LookupRequest.newBuilder().setCapability(capability)
        .setServiceName(service).build());
    return found.getInstancesList();
  }

  private static long lease(Instance instance) {
    return Timestamps.toMillis(instance.getExpiresAt()) - Timestamps.toMillis(instance.getRenewedAt());
  }

  private static void registersLive(CheckContext ctx) {
    String capability = Names.token(ctx, "cap");
    RegisterRequest request = instance(ctx, capability).toBuilder().addCapabilities("llm.infer")
        .addCapabilities(capability).build();
    try (EventSpy<InstanceRegistered> events = EventSpy.on(ctx, SERVICE, "instance_registered")) {
      Instance registered = registry(ctx).ok("register", request);
      assertThat(registered.getInstanceId()).as("instance_id").isEqualTo(request.getInstanceId());
      assertThat(registered.getServiceName()).as("service_name").isEqualTo("quest_system");
      assertThat(registered.getCapabilitiesList()).as("capabilities, sorted, without duplicates")
          .containsExactlyElementsOf(List.of(capability, "llm.infer").stream().sorted().toList());
      assertThat(registered.getEndpoint()).as("endpoint").isEqualTo("svc.game.quests.v1");
      assertThat(registered.getMetadataMap()).as("metadata").isEqualTo(request.getMetadataMap());
      assertThat(registered.getTtlSeconds()).as("ttl_seconds (the default)").isEqualTo(30);
      assertThat(lease(registered)).as("expires_at - renewed_at, ms").isCloseTo(30_000, within(1000L));
      assertThat(registered.hasRegisteredAt()).as("registered_at is set").isTrue();
      assertThat(lookup(ctx, capability, "")).as("lookup of %s", capability).containsExactly(registered);
      InstanceRegistered event = events.awaitOne(e -> e.getInstanceId().equals(request.getInstanceId()));
      assertThat(event.getCapabilitiesList()).as("capabilities in the event")
          .isEqualTo(registered.getCapabilitiesList());
      assertThat(event.getExpiresAt()).as("expires_at in the event").isEqualTo(registered.getExpiresAt());
    }
  }

  private static void reregisterReplaces(CheckContext ctx) throws InterruptedException {
    String first = Names.token(ctx, "cap");
    String second = Names.token(ctx, "cap");
    RegisterRequest request = instance(ctx, first);
    Instance before = registry(ctx).ok("register", request);
    Thread.sleep(20);
    Instance after = registry(ctx).ok("register", request.toBuilder().clearCapabilities().addCapabilities(second)
        .setTtlSeconds(60).build());
    assertThat(after.getCapabilitiesList()).as("capabilities after re-registering").containsExactly(second);
    assertThat(after.getTtlSeconds()).as("ttl_seconds after re-registering").isEqualTo(60);
    assertThat(after.getRegisteredAt()).as("registered_at after re-registering").isEqualTo(before.getRegisteredAt());
    assertThat(Timestamps.compare(after.getExpiresAt(), before.getExpiresAt())).as("expires_at moved later")
        .isPositive();
    assertThat(lookup(ctx, first, "")).as("lookup of the replaced capability").isEmpty();
    assertThat(lookup(ctx, second, "")).extracting(Instance::getInstanceId).as("lookup of the new capability")
        .containsExactly(request.getInstanceId());
  }

  private static void invalidRegistrations(CheckContext ctx) {
    String capability = Names.token(ctx, "cap");
    RegisterRequest valid = instance(ctx, capability);
    registry(ctx).failsOnEach("register", valid, List.<Breaker<RegisterRequest.Builder>>of(
        Breaker.of("instance_id", b -> b.setInstanceId("")),
        Breaker.of("service_name", b -> b.setServiceName("")),
        Breaker.of("capabilities", b -> b.clearCapabilities()),
        Breaker.of("capabilities", b -> {
          for (int i = 0; i < 64; i++) {
            b.addCapabilities("cap" + i);
          }
          return b;
        }),
        Breaker.of("capabilities", b -> b.addCapabilities("Bad Capability")),
        Breaker.of("capabilities", b -> b.addCapabilities("-leading-dash")),
        Breaker.of("metadata", b -> {
          for (int i = 0; i < 32; i++) {
            b.putMetadata("k" + i, "v");
          }
          return b;
        }),
        Breaker.of("ttl_seconds", b -> b.setTtlSeconds(4)),
        Breaker.of("ttl_seconds", b -> b.setTtlSeconds(301))));
    assertThat(lookup(ctx, capability, "")).as("instances after refused registrations").isEmpty();
  }

  private static void renewsLease(CheckContext ctx) throws InterruptedException {
    RegisterRequest request = instance(ctx, Names.token(ctx, "cap")).toBuilder().setTtlSeconds(20).build();
    Instance registered = registry(ctx).ok("register", request);
    Thread.sleep(50);
    Instance renewed = registry(ctx).ok("heartbeat", heartbeat(request.getInstanceId()));
    assertThat(Timestamps.compare(renewed.getExpiresAt(), registered.getExpiresAt())).as("expires_at moved later")
        .isPositive();
    assertThat(lease(renewed)).as("expires_at - renewed_at after a heartbeat, ms").isCloseTo(20_000, within(1000L));
    assertThat(renewed.getCapabilitiesList()).as("capabilities after a heartbeat")
        .isEqualTo(registered.getCapabilitiesList());
  }

  private static void missedLeaseExpires(CheckContext ctx) throws InterruptedException {
    String capability = Names.token(ctx, "cap");
    RegisterRequest request = instance(ctx, capability).toBuilder().setTtlSeconds(5).build();
    try (EventSpy<InstanceExpired> events = EventSpy.on(ctx, SERVICE, "instance_expired")) {
      Instance registered = registry(ctx).ok("register", request);
      Polling.sleepUntil(Timestamps.toMillis(registered.getExpiresAt()), Duration.ofSeconds(6));
      Polling.until(Duration.ofSeconds(3), () -> lookup(ctx, capability, "").isEmpty());
      assertThat(lookup(ctx, capability, "")).as("lookup after the lease ran out").isEmpty();
      registry(ctx).fails("heartbeat", heartbeat(request.getInstanceId()), Code.NOT_FOUND);
      registry(ctx).fails("deregister", deregister(request.getInstanceId()), Code.NOT_FOUND);
      InstanceExpired event = events.awaitOne(e -> e.getInstanceId().equals(request.getInstanceId()));
      assertThat(event.getServiceName()).as("service_name in the event").isEqualTo("quest_system");
    }
  }

  private static void liveSortedFiltered(CheckContext ctx) {
    String capability = Names.token(ctx, "cap");
    String base = Names.id(ctx, "inst");
    for (String[] serviceAndId : new String[][] {{"world_state", "1"}, {"npc_behavior", "2"}, {"npc_behavior", "1"}}) {
      registry(ctx).ok("register", instance(ctx, capability).toBuilder().setServiceName(serviceAndId[0])
          .setInstanceId(base + "-" + serviceAndId[1] + "-" + serviceAndId[0]).build());
    }
    assertThat(lookup(ctx, capability, "")).extracting(Instance::getServiceName, Instance::getInstanceId)
        .as("instances offering %s", capability).containsExactly(
            tuple("npc_behavior", base + "-1-npc_behavior"), tuple("npc_behavior", base + "-2-npc_behavior"),
            tuple("world_state", base + "-1-world_state"));
    assertThat(lookup(ctx, capability, "world_state")).extracting(Instance::getInstanceId)
        .as("instances of world_state offering %s", capability).containsExactly(base + "-1-world_state");
    assertThat(lookup(ctx, Names.token(ctx, "nobody"), "")).as("instances offering a capability nobody has")
        .isEmpty();
  }

  private static void removes(CheckContext ctx) {
    String capability = Names.token(ctx, "cap");
    RegisterRequest request = instance(ctx, capability);
    Instance registered = registry(ctx).ok("register", request);
    try (EventSpy<InstanceDeregistered> events = EventSpy.on(ctx, SERVICE, "instance_deregistered")) {
      Instance last = registry(ctx).ok("deregister", deregister(request.getInstanceId()));
      assertThat(last).as("the last record").isEqualTo(registered);
      assertThat(lookup(ctx, capability, "")).as("lookup after deregistering").isEmpty();
      InstanceDeregistered event = events.awaitOne(e -> e.getInstanceId().equals(request.getInstanceId()));
      assertThat(event.getServiceName()).as("service_name in the event").isEqualTo("quest_system");
    }
  }
}
