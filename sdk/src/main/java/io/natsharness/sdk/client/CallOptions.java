package io.natsharness.sdk.client;

import io.natsharness.sdk.status.WireHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Per-call options of {@link RpcClient}. Immutable.
 *
 * <pre>{@code
 * CallOptions options = CallOptions.builder()
 *     .timeout(Duration.ofSeconds(2))
 *     .idempotencyKey("order-17")
 *     .authorization("Bearer " + token)
 *     .build();
 * Transaction t = client.call("svc.util.payment.v1.charge", request, options);
 * }</pre>
 */
public final class CallOptions {

  private static final CallOptions DEFAULTS = new Builder().build();
  /** Headers the client sets itself; extra headers may not override them. */
  private static final Set<String> RESERVED = reserved();

  private final Duration timeout;
  private final Instant deadline;
  private final String idempotencyKey;
  private final String requestId;
  private final String authorization;
  private final Map<String, String> headers;
  private final Encoding encoding;
  private final Duration streamIdleTimeout;

  private CallOptions(Builder b) {
    this.timeout = b.timeout;
    this.deadline = b.deadline;
    this.idempotencyKey = b.idempotencyKey;
    this.requestId = b.requestId;
    this.authorization = b.authorization;
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
    this.encoding = b.encoding;
    this.streamIdleTimeout = b.streamIdleTimeout;
  }

  /** No deadline of its own (the client's default applies), protobuf, generated ids. */
  public static CallOptions defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these options, to change some. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.timeout = timeout;
    b.deadline = deadline;
    b.idempotencyKey = idempotencyKey;
    b.requestId = requestId;
    b.authorization = authorization;
    b.headers.putAll(headers);
    b.encoding = encoding;
    b.streamIdleTimeout = streamIdleTimeout;
    return b;
  }

  /** The timeout from the moment of the call, if given. */
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  /** The absolute deadline, if given. */
  public Optional<Instant> deadline() {
    return Optional.ofNullable(deadline);
  }

  public Optional<String> idempotencyKey() {
    return Optional.ofNullable(idempotencyKey);
  }

  public Optional<String> requestId() {
    return Optional.ofNullable(requestId);
  }

  public Optional<String> authorization() {
    return Optional.ofNullable(authorization);
  }

  /** Extra request headers, in the order added. */
  public Map<String, String> headers() {
    return headers;
  }

  public Encoding encoding() {
    return encoding;
  }

  /** How long a stream may stay silent before it fails with DEADLINE_EXCEEDED, if given. */
  public Optional<Duration> streamIdleTimeout() {
    return Optional.ofNullable(streamIdleTimeout);
  }

  private static Set<String> reserved() {
    Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    names.addAll(Set.of(WireHeaders.NH_DEADLINE, WireHeaders.NH_REQUEST_ID, WireHeaders.IDEMPOTENCY_KEY,
        WireHeaders.AUTHORIZATION, WireHeaders.CONTENT_TYPE, WireHeaders.TRACEPARENT, WireHeaders.TRACESTATE));
    return names;
  }

  /** Builds {@link CallOptions}; every option is optional. */
  public static final class Builder {
    private Duration timeout;
    private Instant deadline;
    private String idempotencyKey;
    private String requestId;
    private String authorization;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private Encoding encoding = Encoding.PROTOBUF;
    private Duration streamIdleTimeout;

    private Builder() {}

    /** The deadline as a timeout from the moment of the call (clears an absolute deadline). */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + timeout);
      }
      this.timeout = timeout;
      this.deadline = null;
      return this;
    }

    /** An absolute deadline (clears a timeout). */
    public Builder deadline(Instant deadline) {
      this.deadline = Objects.requireNonNull(deadline, "deadline");
      this.timeout = null;
      return this;
    }

    /** The Idempotency-Key; one is generated for methods that need one when none is given. */
    public Builder idempotencyKey(String key) {
      this.idempotencyKey = headerValue(WireHeaders.IDEMPOTENCY_KEY, key);
      return this;
    }

    public Builder requestId(String requestId) {
      this.requestId = headerValue(WireHeaders.NH_REQUEST_ID, requestId);
      return this;
    }

    /** The Authorization header value, e.g. {@code Bearer <token>}. */
    public Builder authorization(String authorization) {
      this.authorization = headerValue(WireHeaders.AUTHORIZATION, authorization);
      return this;
    }

    /** An extra header; the headers the client sets itself (deadline, ids, trace) are refused. */
    public Builder header(String name, String value) {
      if (name == null || name.isBlank() || !name.chars().allMatch(c -> c > 32 && c < 127 && c != ':')) {
        throw new IllegalArgumentException("invalid header name '" + name + "'");
      }
      if (RESERVED.contains(name)) {
        throw new IllegalArgumentException("header '" + name + "' is set by the client: use its own option");
      }
      headers.put(name, headerValue(name, value));
      return this;
    }

    public Builder encoding(Encoding encoding) {
      this.encoding = Objects.requireNonNull(encoding, "encoding");
      return this;
    }

    /** For streams: fail with DEADLINE_EXCEEDED after this long without a message. */
    public Builder streamIdleTimeout(Duration idle) {
      Objects.requireNonNull(idle, "streamIdleTimeout");
      if (idle.isNegative() || idle.isZero()) {
        throw new IllegalArgumentException("streamIdleTimeout must be positive: " + idle);
      }
      this.streamIdleTimeout = idle;
      return this;
    }

    public CallOptions build() {
      return new CallOptions(this);
    }

    private static String headerValue(String name, String value) {
      if (value == null || value.isEmpty()) {
        throw new IllegalArgumentException(name + " must not be empty");
      }
      if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
        throw new IllegalArgumentException(name + " must not contain CR or LF");
      }
      return value;
    }
  }
}
