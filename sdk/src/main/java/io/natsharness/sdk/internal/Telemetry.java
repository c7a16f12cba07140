package io.natsharness.sdk.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.nats.client.impl.Headers;
import io.natsharness.proto.catalog.MethodInfo;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.concurrent.TimeUnit;

/**
 * Spans and meters of client calls and handlers, in one place so that both sides name them alike.
 *
 * <p>W3C trace context always travels, even when the configured OpenTelemetry is a no-op: the
 * no-op tracer keeps the parent's span context, so a hop without an SDK still passes the trace on.
 *
 * <p>Meters: timers {@code nh.client.requests} and {@code nh.server.requests} tagged
 * {@code service}, {@code method}, {@code status} (OK or the canonical code); counter
 * {@code nh.client.retries} tagged {@code service}, {@code method}.
 *
 * <p>Internal to the SDK: its shape may change without notice.
 */
public final class Telemetry {

  /** Instrumentation scope of the SDK's spans. */
  public static final String SCOPE = "io.natsharness.sdk";
  public static final AttributeKey<String> RPC_SYSTEM = AttributeKey.stringKey("rpc.system");
  public static final AttributeKey<String> RPC_SERVICE = AttributeKey.stringKey("rpc.service");
  public static final AttributeKey<String> RPC_METHOD = AttributeKey.stringKey("rpc.method");
  public static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
  public static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("nh.request_id");
  public static final AttributeKey<String> STATUS = AttributeKey.stringKey("nh.status");

  private final Tracer tracer;
  private final TextMapPropagator propagator;
  private final MeterRegistry meters;

  /**
   * @param openTelemetry the OpenTelemetry to trace with, or null for {@link GlobalOpenTelemetry}
   * @param meters where to record, or null for nowhere
   */
  public Telemetry(OpenTelemetry openTelemetry, MeterRegistry meters) {
    OpenTelemetry otel = openTelemetry != null ? openTelemetry : GlobalOpenTelemetry.get();
    this.tracer = otel.getTracer(SCOPE);
    this.propagator = TextMapPropagator.composite(W3CTraceContextPropagator.getInstance(),
        otel.getPropagators().getTextMapPropagator());
    this.meters = meters;
  }

  /** The context a request's headers carry (trace parent), on top of {@code base}. */
  public Context extract(Context base, Headers headers) {
    return propagator.extract(base, headers, NatsHeadersPropagation.GETTER);
  }

  /** Writes the trace context of {@code context} into request headers. */
  public void inject(Context context, Headers headers) {
    propagator.inject(context, headers, NatsHeadersPropagation.SETTER);
  }

  /** Starts the span of a call ({@link SpanKind#CLIENT}) or of a handler ({@link SpanKind#SERVER}). */
  public Span start(SpanKind kind, MethodInfo method, Context parent, String requestId) {
    return tracer.spanBuilder(method.subject())
        .setParent(parent)
        .setSpanKind(kind)
        .setAttribute(RPC_SYSTEM, "nats")
        .setAttribute(RPC_SERVICE, method.service())
        .setAttribute(RPC_METHOD, method.name())
        .setAttribute(DESTINATION, method.subject())
        .setAttribute(REQUEST_ID, requestId)
        .startSpan();
  }

  /** Starts the span of an event publish ({@link SpanKind#PRODUCER}) or handling ({@link SpanKind#CONSUMER}). */
  public Span startEvent(SpanKind kind, String subject, Context parent) {
    return tracer.spanBuilder(subject + (kind == SpanKind.PRODUCER ? " publish" : " process"))
        .setParent(parent)
        .setSpanKind(kind)
        .setAttribute(AttributeKey.stringKey("messaging.system"), "nats")
        .setAttribute(DESTINATION, subject)
        .startSpan();
  }

  /** Ends a span with the outcome: {@code status} is "OK" or a canonical code name. */
  public static void end(Span span, String status, String errorMessage) {
    span.setAttribute(STATUS, status);
    if (!"OK".equals(status)) {
      span.setStatus(StatusCode.ERROR, status + ": " + errorMessage);
    }
    span.end();
  }

  /** Records one finished client call. */
  public void recordClient(MethodInfo method, String status, long nanos) {
    record("nh.client.requests", method, status, nanos);
  }

  /** Records one handled request. */
  public void recordServer(MethodInfo method, String status, long nanos) {
    record("nh.server.requests", method, status, nanos);
  }

  /** Counts one retry of a client call. */
  public void countRetry(MethodInfo method) {
    if (meters != null) {
      Counter.builder("nh.client.retries").description("client call attempts after the first")
          .tag("service", method.service()).tag("method", method.name()).register(meters).increment();
    }
  }

  private void record(String name, MethodInfo method, String status, long nanos) {
    if (meters != null) {
      Timer.builder(name)
          .tag("service", method.service()).tag("method", method.name()).tag("status", status)
          .register(meters).record(nanos, TimeUnit.NANOSECONDS);
    }
  }
}
