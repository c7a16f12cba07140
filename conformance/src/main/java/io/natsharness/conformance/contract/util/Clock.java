package io.natsharness.conformance.contract.util;

import com.google.protobuf.Message;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.conformance.contract.kit.Rpc;
import io.natsharness.proto.util.time.v1.GameTime;
import io.natsharness.proto.util.time.v1.NowRequest;
import io.natsharness.proto.util.time.v1.PauseRequest;
import io.natsharness.proto.util.time.v1.ResumeRequest;
import io.natsharness.proto.util.time.v1.SetScaleRequest;

/**
 * The default world's clock as the time checks drive it, and the promise to put its scale and
 * pause state back after each check ({@link #restoring}), since other checks and other users of a
 * shared deployment read it too.
 */
final class Clock {

  /** The body of a check that changes the clock. */
  @FunctionalInterface
  interface Body {
    void run(Clock clock) throws Exception;
  }

  final Rpc wire;

  private Clock(Rpc wire) {
    this.wire = wire;
  }

  static Clock of(CheckContext ctx) {
    return new Clock(Rpc.of(ctx, TimeManagerChecks.SERVICE));
  }

  /** Runs {@code body}, then restores the scale and pause state the default world had before. */
  static void restoring(CheckContext ctx, Body body) throws Exception {
    Clock clock = of(ctx);
    GameTime before = clock.now();
    try {
      body.run(clock);
    } finally {
      clock.setScale(before.getScale());
      if (before.getPaused()) {
        clock.pause();
      } else {
        clock.resume();
      }
    }
  }

  /** A request of {@code method} for {@code world} ({@code scale} only for set_scale). */
  static Message request(String method, String world, double scale) {
    return switch (method) {
      case "now" -> NowRequest.newBuilder().setWorldId(world).build();
      case "pause" -> PauseRequest.newBuilder().setWorldId(world).build();
      case "resume" -> ResumeRequest.newBuilder().setWorldId(world).build();
      case "set_scale" -> SetScaleRequest.newBuilder().setWorldId(world).setScale(scale).build();
      default -> throw new IllegalArgumentException("time_manager has no method " + method);
    };
  }

  GameTime now() {
    return wire.ok("now", NowRequest.getDefaultInstance());
  }

  GameTime setScale(double scale) {
    return wire.ok("set_scale", SetScaleRequest.newBuilder().setScale(scale).build());
  }

  GameTime pause() {
    return wire.ok("pause", PauseRequest.getDefaultInstance());
  }

  GameTime resume() {
    return wire.ok("resume", ResumeRequest.getDefaultInstance());
  }
}
