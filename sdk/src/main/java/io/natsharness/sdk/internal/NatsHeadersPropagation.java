package io.natsharness.sdk.internal;

import io.nats.client.impl.Headers;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.List;

/**
 * OpenTelemetry's text-map access to NATS headers, for W3C {@code traceparent}/{@code tracestate}.
 *
 * <p>Internal to the SDK: its shape may change without notice.
 */
public final class NatsHeadersPropagation {

  /** Reads the first value of a header, case-insensitively. */
  public static final TextMapGetter<Headers> GETTER = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Headers carrier) {
      return carrier == null ? List.of() : carrier.keySet();
    }

    @Override
    public String get(Headers carrier, String key) {
      return WireErrors.first(carrier, key).orElse(null);
    }
  };

  /** Replaces a header. */
  public static final TextMapSetter<Headers> SETTER = (carrier, key, value) -> {
    if (carrier != null && key != null && value != null) {
      carrier.put(key, value);
    }
  };

  private NatsHeadersPropagation() {}
}
