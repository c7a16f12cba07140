package io.natsharness.conformance.contract.infra;

import static io.natsharness.conformance.contract.infra.RouterChecks.resolve;
import static io.natsharness.conformance.contract.infra.RouterChecks.router;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.Code;
import com.google.rpc.Status;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.conformance.contract.kit.Breaker;
import io.natsharness.conformance.contract.kit.ContractChecks;
import io.natsharness.conformance.contract.kit.EventSpy;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.common.v1.ErrorDetail;
import io.natsharness.proto.infra.router.v1.GetRouteModeRequest;
import io.natsharness.proto.infra.router.v1.ResolveResponse;
import io.natsharness.proto.infra.router.v1.RouteMode;
import io.natsharness.proto.infra.router.v1.RouteModeChanged;
import io.natsharness.proto.infra.router.v1.RouteModeSetting;
import io.natsharness.proto.infra.router.v1.SetRouteModeRequest;
import java.util.List;

/**
 * The cutover modes of {@code router}: set and get with versions and compare-and-set, no-op
 * repeats, the SHADOW safety rule, route_mode_changed, and the errors. Route modes are shared
 * state of the deployment (the gateway obeys them), so the checks change the mode of one read-only
 * route and put it back as they found it.
 *
 * <pre>{@code
 * ContractChecks checks = ContractChecks.forService("router");
 * RouteModeChecks.add(checks);
 * }</pre>
 */
final class RouteModeChecks {

  private RouteModeChecks() {}

  static void add(ContractChecks checks) {
    checks
        .behaviour("set_route_mode", "sets_with_versions", "each change of mode bumps the version, is what"
            + " get_route_mode and resolve report, and publishes one route_mode_changed event; setting the same"
            + " mode again changes nothing", RouteModeChecks::setsWithVersions)
        .error("set_route_mode", "compare_and_set", Code.ABORTED, "an expected_version other than the current"
            + " version is ABORTED and changes nothing", ctx -> {
              String subject = readOnlyRoute(ctx).subject();
              RouteModeSetting before = get(ctx, subject);
              router(ctx).fails("set_route_mode", set(subject, RouteMode.NATS, 0)
                  .setExpectedVersion(before.getMeta().getVersion() + 5).build(), Code.ABORTED);
              assertThat(get(ctx, subject)).as("the mode after a refused change").isEqualTo(before);
            })
        .error("set_route_mode", "shadow_unsafe", Code.FAILED_PRECONDITION, "SHADOW on a method with side effects"
            + " and no idempotency key is FAILED_PRECONDITION with reason SHADOW_UNSAFE",
            RouteModeChecks::shadowUnsafe)
        .error("set_route_mode", "invalid_request", Code.INVALID_ARGUMENT, "an empty subject, an unspecified"
            + " mode, a canary_percent outside [0, 100] in CANARY or non-zero in another mode is"
            + " INVALID_ARGUMENT", ctx -> {
              String subject = readOnlyRoute(ctx).subject();
              router(ctx).failsOnEach("set_route_mode", set(subject, RouteMode.NATS, 0).build(),
                  List.<Breaker<SetRouteModeRequest.Builder>>of(
                      Breaker.of("subject", b -> b.setSubject("")),
                      Breaker.of("mode", b -> b.setMode(RouteMode.ROUTE_MODE_UNSPECIFIED)),
                      Breaker.of("canary_percent", b -> b.setMode(RouteMode.CANARY).setCanaryPercent(101)),
                      Breaker.of("canary_percent", b -> b.setMode(RouteMode.CANARY).setCanaryPercent(-1)),
                      Breaker.of("canary_percent", b -> b.setCanaryPercent(10))));
            })
        .error("set_route_mode", "unknown_subject", Code.NOT_FOUND, "a subject with no route is NOT_FOUND",
            ctx -> router(ctx).fails("set_route_mode", set("svc.nope.nothing.v1.none", RouteMode.NATS, 0).build(),
                Code.NOT_FOUND))
        .error("set_route_mode", "expired_deadline_no_side_effect", Code.DEADLINE_EXCEEDED, "a change past its"
            + " deadline is DEADLINE_EXCEEDED and leaves the mode as it was", ctx -> {
              String subject = readOnlyRoute(ctx).subject();
              RouteModeSetting before = get(ctx, subject);
              RouteMode other = before.getMode() == RouteMode.NATS ? RouteMode.HTTP : RouteMode.NATS;
              router(ctx).call("set_route_mode").expiredDeadline().fails(set(subject, other, 0).build(),
                  Code.DEADLINE_EXCEEDED);
              assertThat(get(ctx, subject)).as("the mode after an expired change").isEqualTo(before);
            })
        .error("get_route_mode", "empty_subject", Code.INVALID_ARGUMENT, "an empty subject is INVALID_ARGUMENT",
            ctx -> router(ctx).failsOn("get_route_mode", GetRouteModeRequest.getDefaultInstance(), "subject"))
        .error("get_route_mode", "unknown_subject", Code.NOT_FOUND, "a subject with no route is NOT_FOUND",
            ctx -> router(ctx).fails("get_route_mode", GetRouteModeRequest.newBuilder()
                .setSubject("svc.nope.nothing.v1.none").build(), Code.NOT_FOUND));
  }

  /** The route the checks change: router's own get_route_mode, a pure read (SHADOW is safe on it). */
  static MethodInfo readOnlyRoute(CheckContext ctx) {
    return router(ctx).method("get_route_mode");
  }

  static SetRouteModeRequest.Builder set(String subject, RouteMode mode, int percent) {
    return SetRouteModeRequest.newBuilder().setSubject(subject).setMode(mode).setCanaryPercent(percent);
  }

  static RouteModeSetting get(CheckContext ctx, String subject) {
    return router(ctx).ok("get_route_mode", GetRouteModeRequest.newBuilder().setSubject(subject).build());
  }

  private static void setsWithVersions(CheckContext ctx) {
    MethodInfo route = readOnlyRoute(ctx);
    String subject = route.subject();
    RouteModeSetting before = get(ctx, subject);
    long v0 = before.getMeta().getVersion();
    try (EventSpy<RouteModeChanged> events = EventSpy.on(ctx, RouterChecks.SERVICE, "route_mode_changed")) {
      RouteModeSetting shadow = router(ctx).ok("set_route_mode", set(subject, RouteMode.SHADOW, 0)
          .setExpectedVersion(v0).build());
      assertThat(shadow.getMode()).as("mode").isEqualTo(RouteMode.SHADOW);
      assertThat(shadow.getMeta().getVersion()).as("version after a change").isEqualTo(v0 + 1);
      RouteModeSetting canary = router(ctx).ok("set_route_mode", set(subject, RouteMode.CANARY, 25).build());
      assertThat(canary.getCanaryPercent()).as("canary_percent").isEqualTo(25);
      assertThat(canary.getMeta().getVersion()).as("version after a second change").isEqualTo(v0 + 2);
      assertThat(get(ctx, subject)).as("get_route_mode").isEqualTo(canary);
      ResolveResponse resolved = router(ctx).ok("resolve", resolve(route.route().verb(),
          RouterChecks.fill(route.route().path().template(), new java.util.HashMap<>())));
      assertThat(resolved.getMode()).as("the mode resolve reports").isEqualTo(canary);
      RouteModeChanged event = events.awaitOne(e -> e.getSubject().equals(subject) && e.getVersion() == v0 + 2);
      assertThat(event.getPreviousMode()).as("previous_mode of the event").isEqualTo(RouteMode.SHADOW);
      assertThat(event.getMode()).as("mode of the event").isEqualTo(RouteMode.CANARY);
      assertThat(event.getCanaryPercent()).as("canary_percent of the event").isEqualTo(25);
      RouteModeSetting same = router(ctx).ok("set_route_mode", set(subject, RouteMode.CANARY, 25).build());
      assertThat(same).as("setting the current mode again").isEqualTo(canary);
      events.assertDistinct(e -> e.getSubject().equals(subject) && e.getVersion() > v0 + 1, 1, EventSpy.SETTLE);
    } finally {
      RouteModeSetting now = get(ctx, subject);
      if (now.getMode() != before.getMode() || now.getCanaryPercent() != before.getCanaryPercent()) {
        router(ctx).ok("set_route_mode", set(subject, before.getMode() == RouteMode.ROUTE_MODE_UNSPECIFIED
            ? RouteMode.HTTP : before.getMode(), before.getCanaryPercent()).build());
      }
    }
  }

  private static void shadowUnsafe(CheckContext ctx) throws InvalidProtocolBufferException {
    MethodInfo unsafe = ctx.catalog().methods().stream()
        .filter(m -> !m.hasNoSideEffects() && !m.requiresIdempotencyKey()).findFirst()
        .orElseThrow(() -> new AssertionError("the catalog has no method with side effects and no idempotency key"));
    RouteModeSetting before = get(ctx, unsafe.subject());
    Status status = router(ctx).fails("set_route_mode", set(unsafe.subject(), RouteMode.SHADOW, 0).build(),
        Code.FAILED_PRECONDITION);
    ErrorDetail detail = null;
    for (Any any : status.getDetailsList()) {
      if (any.is(ErrorDetail.class)) {
        detail = any.unpack(ErrorDetail.class);
      }
    }
    assertThat(detail).as("the ErrorDetail of the refusal").isNotNull();
    assertThat(detail.getReason()).as("reason").isEqualTo("SHADOW_UNSAFE");
    assertThat(get(ctx, unsafe.subject())).as("the mode after the refusal").isEqualTo(before);
  }
}
