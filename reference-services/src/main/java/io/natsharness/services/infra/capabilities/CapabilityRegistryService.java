package io.natsharness.services.infra.capabilities;

import com.google.protobuf.util.Timestamps;
import io.natsharness.proto.infra.capabilities.v1.DeregisterRequest;
import io.natsharness.proto.infra.capabilities.v1.HeartbeatRequest;
import io.natsharness.proto.infra.capabilities.v1.Instance;
import io.natsharness.proto.infra.capabilities.v1.InstanceDeregistered;
import io.natsharness.proto.infra.capabilities.v1.InstanceExpired;
import io.natsharness.proto.infra.capabilities.v1.InstanceRegistered;
import io.natsharness.proto.infra.capabilities.v1.LookupRequest;
import io.natsharness.proto.infra.capabilities.v1.LookupResponse;
import io.natsharness.proto.infra.capabilities.v1.RegisterRequest;
import io.natsharness.sdk.service.CallContext;
import io.natsharness.sdk.service.Endpoints;
import io.natsharness.sdk.service.NatsService;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.services.support.CommittedEvents;
import io.natsharness.services.support.ServiceContext;
import io.natsharness.services.support.ServiceLifecycle;
import io.natsharness.services.support.Validation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Service instances announce capabilities under a lease; lookups see live instances only
 * ({@code expires_at > now} by the service's clock); a sweep every second removes expired ones
 * and publishes {@code instance_expired} (once across hosts: the removal is atomic).
 *
 * <pre>{@code
 * CapabilityRegistryService registry = new CapabilityRegistryService(ctx);
 * ServiceHost.builder().connection(nats).add(registry).build().start();
 * registry.start(); // the sweep
 * }</pre>
 */
public final class CapabilityRegistryService implements NatsService, ServiceLifecycle {

  static final Pattern CAPABILITY = Pattern.compile("[a-z0-9][a-z0-9_.:-]{0,127}");
  static final int MAX_CAPABILITIES = 64;
  static final int MAX_METADATA = 32;
  static final int DEFAULT_TTL = 30;
  private static final Logger LOG = LoggerFactory.getLogger(CapabilityRegistryService.class);

  private final ServiceContext ctx;
  private final InstanceStore store;
  private ScheduledExecutorService sweeper;

  public CapabilityRegistryService(ServiceContext ctx) {
    this.ctx = ctx;
    this.store = new InstanceStore(ctx);
  }

  @Override
  public String name() {
    return "capability_registry";
  }

  @Override
  public void bind(Endpoints endpoints) {
    endpoints
        .unary("register", this::register)
        .unary("heartbeat", this::heartbeat)
        .unary("lookup", this::lookup)
        .unary("deregister", this::deregister);
  }

  @Override
  public synchronized void start() {
    if (sweeper == null) {
      sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "nh-capability-sweep");
        t.setDaemon(true);
        return t;
      });
      sweeper.scheduleWithFixedDelay(this::sweepQuietly, 1, 1, TimeUnit.SECONDS);
    }
  }

  @Override
  public synchronized void close() {
    if (sweeper != null) {
      sweeper.shutdownNow();
      sweeper = null;
    }
  }

  Instance register(RegisterRequest request, CallContext call) {
    String id = Validation.nonEmpty(request.getInstanceId(), 256, "instance_id");
    String service = Validation.nonEmpty(request.getServiceName(), 256, "service_name");
    for (int i = 0; i < request.getCapabilitiesCount(); i++) {
      Validation.matches(request.getCapabilities(i), CAPABILITY, "capabilities[" + i + "]");
    }
    TreeSet<String> capabilities = new TreeSet<>(request.getCapabilitiesList());
    Validation.require(!capabilities.isEmpty(), "capabilities", "must have at least one entry");
    Validation.require(capabilities.size() <= MAX_CAPABILITIES, "capabilities",
        "must have at most " + MAX_CAPABILITIES + " entries");
    Validation.require(request.getMetadataCount() <= MAX_METADATA, "metadata",
        "must have at most " + MAX_METADATA + " entries");
    int ttl = request.getTtlSeconds() == 0 ? DEFAULT_TTL : Validation.inRange(request.getTtlSeconds(), 5, 300, "ttl_seconds");
    Instance data = Instance.newBuilder()
        .setInstanceId(id)
        .setServiceName(service)
        .setServiceVersion(request.getServiceVersion())
        .addAllCapabilities(capabilities)
        .setEndpoint(request.getEndpoint())
        .putAllMetadata(request.getMetadataMap())
        .setTtlSeconds(ttl)
        .build();
    long now = ctx.clock().millis();
    long expires = now + ttl * 1000L;
    InstanceStore.Registered registered = store.register(data, now, expires);
    registered.replacedStale().ifPresent(this::publishExpired);
    Instance instance = data.toBuilder()
        .setRegisteredAt(Timestamps.fromMillis(registered.registeredAtMillis()))
        .setRenewedAt(Timestamps.fromMillis(now))
        .setExpiresAt(Timestamps.fromMillis(expires))
        .build();
    CommittedEvents.publish(ctx, "evt.infra.capabilities.v1.instance_registered", InstanceRegistered.newBuilder()
        .setInstanceId(id).setServiceName(service).addAllCapabilities(capabilities)
        .setExpiresAt(instance.getExpiresAt()).build(), "instance_registered:" + id + ":" + now);
    return instance;
  }

  Instance heartbeat(HeartbeatRequest request, CallContext call) {
    String id = Validation.nonEmpty(request.getInstanceId(), "instance_id");
    Instance current = store.get(id).orElseThrow(() -> notFound(id));
    return store.heartbeat(id, ctx.clock().millis(), current.getTtlSeconds()).orElseThrow(() -> notFound(id));
  }

  LookupResponse lookup(LookupRequest request, CallContext call) {
    String capability = Validation.nonEmpty(request.getCapability(), "capability");
    long now = ctx.clock().millis();
    List<Instance> live = new ArrayList<>();
    for (String id : store.offering(capability)) {
      store.get(id)
          .filter(i -> Timestamps.toMillis(i.getExpiresAt()) > now)
          .filter(i -> i.getCapabilitiesList().contains(capability))
          .filter(i -> request.getServiceName().isEmpty() || i.getServiceName().equals(request.getServiceName()))
          .ifPresent(live::add);
    }
    live.sort(Comparator.comparing(Instance::getServiceName).thenComparing(Instance::getInstanceId));
    return LookupResponse.newBuilder().addAllInstances(live).build();
  }

  Instance deregister(DeregisterRequest request, CallContext call) {
    String id = Validation.nonEmpty(request.getInstanceId(), "instance_id");
    Instance removed = store.deregister(id, ctx.clock().millis()).orElseThrow(() -> notFound(id));
    CommittedEvents.publish(ctx, "evt.infra.capabilities.v1.instance_deregistered", InstanceDeregistered.newBuilder()
        .setInstanceId(id).setServiceName(removed.getServiceName()).build(),
        "instance_deregistered:" + id + ":" + Timestamps.toMillis(removed.getRegisteredAt()));
    return removed;
  }

  /** Removes every expired instance and publishes instance_expired for each; returns how many. */
  int sweep() {
    int swept = 0;
    long now = ctx.clock().millis();
    // Bounded: each round removes or re-scores what it read, so 100 rounds of 100 ids is plenty a second.
    for (int round = 0; round < 100; round++) {
      List<String> ids = store.expiredIds(now, 100);
      for (String id : ids) {
        Optional<Instance> removed = store.expire(id, now);
        if (removed.isPresent()) {
          publishExpired(removed.get());
          swept++;
        }
      }
      if (ids.size() < 100) {
        break;
      }
    }
    return swept;
  }

  private void sweepQuietly() {
    try {
      sweep();
    } catch (RuntimeException e) {
      LOG.warn("capability sweep failed; retrying in a second", e);
    }
  }

  private boolean publishExpired(Instance instance) {
    return CommittedEvents.publish(ctx, "evt.infra.capabilities.v1.instance_expired", InstanceExpired.newBuilder()
        .setInstanceId(instance.getInstanceId()).setServiceName(instance.getServiceName())
        .setExpiredAt(instance.getExpiresAt()).build(),
        "instance_expired:" + instance.getInstanceId() + ":" + Timestamps.toMillis(instance.getExpiresAt()))
        .isPresent();
  }

  private static RpcException notFound(String id) {
    return RpcException.notFound("instance " + id + " is unknown, deregistered or expired");
  }
}
