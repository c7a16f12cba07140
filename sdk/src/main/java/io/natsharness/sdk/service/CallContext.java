package io.natsharness.sdk.service;

import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.sdk.status.WireHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What a handler knows about the request it serves: the method, the deadline, the request id and
 * the request headers. Immutable. Trace context travels in OpenTelemetry's {@code Context}.
 *
 * <p>The service host makes one per NATS request; a non-NATS front end (a service's legacy HTTP
 * side) makes one with the builder:
 *
 * <pre>{@code
 * CallContext ctx = CallContext.builder()
 *     .method(catalog.method("svc.util.payment.v1.charge").orElseThrow())
 *     .deadline(Instant.now().plusSeconds(5))
 *     .header("Idempotency-Key", "k-1")
 *     .build();
 * ctx.idempotencyKey(); // Optional[k-1]
 * }</pre>
 */
public final class CallContext {

  /** Deadline of a context built without one: this long after {@code build()}. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private final MethodInfo method;
  private final Instant deadline;
  private final String requestId;
  private final Map<String, String> headers;
  private final String contentType;
  private final Clock clock;

  private CallContext(Builder b, Instant deadline) {
    this.method = b.method;
    this.deadline = deadline;
    this.requestId = b.requestId != null ? b.requestId : UUID.randomUUID().toString();
    TreeMap<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    copy.putAll(b.headers);
    copy.put(WireHeaders.NH_REQUEST_ID, requestId);
    this.headers = Collections.unmodifiableMap(copy);
    this.contentType = b.contentType;
    this.clock = b.clock;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The catalog method being served. */
  public MethodInfo method() {
    return method;
  }

  /** The absolute deadline of the request. */
  public Instant deadline() {
    return deadline;
  }

  /** Time left until the deadline; zero when it has passed (never negative). */
  public Duration remaining() {
    Duration left = Duration.between(clock.instant(), deadline);
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** Whether the deadline has passed. */
  public boolean isExpired() {
    return !clock.instant().isBefore(deadline);
  }

  /** The caller's request id, or a generated one when the caller sent none. */
  public String requestId() {
    return requestId;
  }

  public Optional<String> idempotencyKey() {
    return header(WireHeaders.IDEMPOTENCY_KEY);
  }

  /** The {@code Authorization} header as sent, e.g. {@code Bearer abc}. */
  public Optional<String> authorization() {
    return header(WireHeaders.AUTHORIZATION);
  }

  /** A request header by name (case-insensitive); an empty value counts as absent. */
  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name)).filter(v -> !v.isEmpty());
  }

  /** Every request header (first value of each), case-insensitive keys. */
  public Map<String, String> headers() {
    return headers;
  }

  /** The request's encoding: {@code application/protobuf} or {@code application/json}. */
  public String contentType() {
    return contentType;
  }

  @Override
  public String toString() {
    return "CallContext[" + method.subject() + ", requestId=" + requestId + ", deadline=" + deadline + "]";
  }

  /** Builds a {@link CallContext}; {@code method} is required. */
  public static final class Builder {
    private MethodInfo method;
    private Instant deadline;
    private String requestId;
    private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private String contentType = WireHeaders.APPLICATION_PROTOBUF;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    public Builder method(MethodInfo method) {
      this.method = Objects.requireNonNull(method, "method");
      return this;
    }

    /** The absolute deadline; when not set, {@link #DEFAULT_TIMEOUT} after {@code build()}. */
    public Builder deadline(Instant deadline) {
      this.deadline = Objects.requireNonNull(deadline, "deadline");
      return this;
    }

    /** The deadline as a timeout from now. */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("timeout must not be negative: " + timeout);
      }
      this.deadline = clock.instant().plus(timeout);
      return this;
    }

    public Builder requestId(String requestId) {
      if (requestId == null || requestId.isBlank()) {
        throw new IllegalArgumentException("requestId must not be blank");
      }
      this.requestId = requestId;
      return this;
    }

    /** Adds a request header (names are case-insensitive; a later value replaces an earlier one). */
    public Builder header(String name, String value) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("header name must not be blank");
      }
      headers.put(name, Objects.requireNonNull(value, "value of header " + name));
      return this;
    }

    /** Adds every header of the map. */
    public Builder headers(Map<String, String> headers) {
      headers.forEach(this::header);
      return this;
    }

    /** {@code application/protobuf} (default) or {@code application/json}. */
    public Builder contentType(String contentType) {
      String normalized = contentType == null ? "" : contentType.strip().toLowerCase(Locale.ROOT);
      if (!normalized.equals(WireHeaders.APPLICATION_PROTOBUF) && !normalized.equals(WireHeaders.APPLICATION_JSON)) {
        throw new IllegalArgumentException("unsupported content type '" + contentType
            + "': use application/protobuf or application/json");
      }
      this.contentType = normalized;
      return this;
    }

    /** The clock that {@link CallContext#remaining()} and {@link CallContext#isExpired()} read. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public CallContext build() {
      if (method == null) {
        throw new IllegalStateException("CallContext needs a method: call method(MethodInfo) before build()");
      }
      Instant effective = deadline != null ? deadline : clock.instant().plus(DEFAULT_TIMEOUT);
      if (requestId == null && headers.containsKey(WireHeaders.NH_REQUEST_ID)
          && !headers.get(WireHeaders.NH_REQUEST_ID).isBlank()) {
        requestId = headers.get(WireHeaders.NH_REQUEST_ID);
      }
      return new CallContext(this, effective);
    }
  }
}
