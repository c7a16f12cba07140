package io.natsharness.gateway.auth;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.Timestamps;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.natsharness.gateway.metrics.GatewayMetrics;
import io.natsharness.proto.catalog.EventInfo;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.infra.auth.v1.TokenClaims;
import io.natsharness.proto.infra.auth.v1.TokenRevoked;
import io.natsharness.proto.infra.auth.v1.ValidateTokenRequest;
import io.natsharness.sdk.client.CallOptions;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.sdk.status.RpcException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks {@code Authorization: Bearer <token>} headers with the auth service's
 * {@code validate_token} over NATS, and keeps good answers for a short TTL (never past the
 * token's expiry). A {@code token_revoked} event drops the cached answers of that token at once.
 *
 * <p>Outcomes, as WIRE.md says: no or malformed header, or a token the service calls invalid →
 * UNAUTHENTICATED (401); a valid token without the route's scope → PERMISSION_DENIED (403); the
 * auth service unreachable → UNAVAILABLE (503).
 *
 * <pre>{@code
 * TokenValidator auth = TokenValidator.builder().withClient(rpc).withConnection(nats).build();
 * auth.start();
 * auth.check(Optional.of("Bearer eyJ..."), "game.quests:write", "req-1").join(); // TokenClaims
 * }</pre>
 */
public final class TokenValidator implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TokenValidator.class);
  private static final Pattern BEARER = Pattern.compile("(?i)bearer +([A-Za-z0-9\\-._~+/]+=*) *");

  private final RpcClient client;
  private final Connection connection;
  private final MethodInfo validate;
  private final EventInfo revoked;
  private final Duration ttl;
  private final Duration timeout;
  private final Clock clock;
  private final Optional<GatewayMetrics> metrics;
  private final TtlCache<String, TokenClaims> cache;
  private Dispatcher dispatcher;

  private TokenValidator(Builder b) {
    ServiceCatalog catalog = ServiceCatalog.load();
    this.client = b.client;
    this.connection = b.connection;
    this.validate = catalog.service("auth").flatMap(s -> s.method("validate_token")).orElseThrow();
    this.revoked = catalog.events().stream()
        .filter(e -> e.service().equals("auth") && e.name().equals("token_revoked")).findFirst().orElseThrow();
    this.ttl = b.ttl;
    this.timeout = b.timeout;
    this.clock = b.clock;
    this.metrics = Optional.ofNullable(b.metrics);
    this.cache = new TtlCache<>(b.maxEntries, b.clock);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Listens for revocations; without it, a revoked token stays accepted for up to the TTL. */
  public TokenValidator start() {
    dispatcher = connection.createDispatcher(msg -> {
      try {
        TokenRevoked event = TokenRevoked.parseFrom(msg.getData());
        cache.removeIf(claims -> claims.getTokenId().equals(event.getTokenId()));
        LOG.debug("dropped cached validations of revoked token {}", event.getTokenId());
      } catch (InvalidProtocolBufferException e) {
        LOG.warn("ignored a malformed {} event: {}", revoked.subject(), e.getMessage());
      }
    });
    dispatcher.subscribe(revoked.subject());
    return this;
  }

  /**
   * Checks the header value for {@code scope}.
   *
   * @return a future of the token's claims, failed with {@link RpcException} when refused
   */
  public CompletableFuture<TokenClaims> check(Optional<String> authorization, String scope, String requestId) {
    if (authorization.isEmpty()) {
      return refuse("unauthenticated", RpcException.unauthenticated("missing bearer token"));
    }
    var m = BEARER.matcher(authorization.get());
    if (!m.matches()) {
      return refuse("unauthenticated", RpcException.unauthenticated("Authorization header is not 'Bearer <token>'"));
    }
    String token = m.group(1);
    String key = scope + ' ' + token;
    Optional<TokenClaims> cached = cache.get(key);
    if (cached.isPresent()) {
      metrics.ifPresent(x -> x.auth("cached"));
      return CompletableFuture.completedFuture(cached.get());
    }
    ValidateTokenRequest request = ValidateTokenRequest.newBuilder().setToken(token).setRequiredScope(scope).build();
    CallOptions options = CallOptions.builder().timeout(timeout).requestId(requestId).build();
    CompletableFuture<TokenClaims> call;
    try {
      call = client.callAsync(validate, request, options);
    } catch (RpcException e) {
      call = CompletableFuture.failedFuture(e);
    }
    return call.handle((claims, error) -> {
      if (error == null) {
        metrics.ifPresent(x -> x.auth("ok"));
        Instant until = clock.instant().plus(ttl);
        if (claims.hasExpiresAt()) {
          Instant expiry = Instant.ofEpochMilli(Timestamps.toMillis(claims.getExpiresAt()));
          until = until.isBefore(expiry) ? until : expiry;
        }
        cache.put(key, claims, until);
        return claims;
      }
      throw new CompletionException(translate(unwrap(error)));
    });
  }

  private RpcException translate(Throwable error) {
    if (error instanceof RpcException rpc) {
      switch (rpc.code()) {
        case UNAUTHENTICATED, INVALID_ARGUMENT -> {
          metrics.ifPresent(x -> x.auth("unauthenticated"));
          return RpcException.unauthenticated(rpc.statusMessage());
        }
        case PERMISSION_DENIED -> {
          metrics.ifPresent(x -> x.auth("denied"));
          return RpcException.permissionDenied(rpc.statusMessage());
        }
        default -> {
          metrics.ifPresent(x -> x.auth("unavailable"));
          LOG.warn("auth service failed: {} {}", rpc.code(), rpc.statusMessage());
          return RpcException.unavailable("auth service unavailable");
        }
      }
    }
    metrics.ifPresent(x -> x.auth("unavailable"));
    LOG.warn("auth service call failed", error);
    return RpcException.unavailable("auth service unavailable");
  }

  private CompletableFuture<TokenClaims> refuse(String result, RpcException e) {
    metrics.ifPresent(x -> x.auth(result));
    return CompletableFuture.failedFuture(e);
  }

  static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** Cached validations now (for tests and metrics). */
  public int cachedEntries() {
    return cache.size();
  }

  @Override
  public void close() {
    if (dispatcher != null) {
      connection.closeDispatcher(dispatcher);
      dispatcher = null;
    }
  }

  /** Builder of {@link TokenValidator}; client and connection are required. */
  public static final class Builder {
    private RpcClient client;
    private Connection connection;
    private Duration ttl = Duration.ofSeconds(30);
    private int maxEntries = 10_000;
    private Duration timeout = Duration.ofSeconds(2);
    private Clock clock = Clock.systemUTC();
    private GatewayMetrics metrics;

    private Builder() {}

    public Builder withClient(RpcClient c) { client = java.util.Objects.requireNonNull(c, "client"); return this; }
    public Builder withConnection(Connection c) { connection = java.util.Objects.requireNonNull(c, "connection"); return this; }
    /** How long a good answer is reused (0 disables the cache). */
    public Builder withTtl(Duration d) {
      if (d.isNegative()) {
        throw new IllegalArgumentException("ttl must not be negative, not " + d);
      }
      ttl = d;
      return this;
    }
    public Builder withMaxEntries(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("max entries must not be negative, not " + n);
      }
      maxEntries = n;
      return this;
    }
    public Builder withTimeout(Duration d) { timeout = java.util.Objects.requireNonNull(d, "timeout"); return this; }
    public Builder withClock(Clock c) { clock = java.util.Objects.requireNonNull(c, "clock"); return this; }
    public Builder withMetrics(GatewayMetrics m) { metrics = m; return this; }

    public TokenValidator build() {
      if (client == null || connection == null) {
        throw new IllegalStateException("TokenValidator needs withClient(..) and withConnection(..) before build()");
      }
      return new TokenValidator(this);
    }
  }
}
