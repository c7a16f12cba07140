package io.natsharness.services.infra.auth;

import com.google.protobuf.InvalidProtocolBufferException;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.natsharness.proto.infra.auth.v1.Principal;
import io.natsharness.proto.infra.auth.v1.Revocation;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.services.support.ServiceContext;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * Auth's Redis state: principals (record, salt and hash in one value, written with SET NX), the
 * issued tokens (for revocation by id, kept until expiry), the revocations (kept until the
 * token's expiry) and the shared signing key.
 */
final class AuthStore {

  /** A stored principal with its password salt and hash. */
  record StoredPrincipal(Principal principal, byte[] salt, byte[] hash) {}

  /** An issued token's subject and expiry. */
  record IssuedToken(String subject, long expiresAtMillis) {}

  private static final Base64.Encoder B64 = Base64.getEncoder();
  private static final Base64.Decoder B64D = Base64.getDecoder();

  private final ServiceContext ctx;
  private volatile byte[] signingKey;

  AuthStore(ServiceContext ctx) {
    this.ctx = ctx;
  }

  private RedisCommands<String, String> redis() {
    return ctx.redis().sync();
  }

  boolean principalExists(String principalId) {
    return redis().exists(ctx.key("auth", "principal", principalId)) > 0;
  }

  /** Stores a new principal; false when the id is taken. */
  boolean createPrincipal(StoredPrincipal stored) {
    String value = B64.encodeToString(stored.principal().toByteArray()) + "|" + B64.encodeToString(stored.salt())
        + "|" + B64.encodeToString(stored.hash());
    return "OK".equals(redis().set(ctx.key("auth", "principal", stored.principal().getPrincipalId()), value,
        SetArgs.Builder.nx()));
  }

  Optional<StoredPrincipal> principal(String principalId) {
    String value = redis().get(ctx.key("auth", "principal", principalId));
    if (value == null) {
      return Optional.empty();
    }
    String[] parts = value.split("\\|");
    try {
      return Optional.of(new StoredPrincipal(Principal.parseFrom(B64D.decode(parts[0])), B64D.decode(parts[1]),
          B64D.decode(parts[2])));
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw RpcException.dataLoss("the record of principal " + principalId + " is unreadable");
    }
  }

  void recordIssued(String tokenId, String subject, long expiresAtMillis) {
    redis().set(ctx.key("auth", "token", tokenId), subject + "|" + expiresAtMillis,
        SetArgs.Builder.pxAt(expiresAtMillis));
  }

  Optional<IssuedToken> issued(String tokenId) {
    String value = redis().get(ctx.key("auth", "token", tokenId));
    if (value == null) {
      return Optional.empty();
    }
    int bar = value.lastIndexOf('|');
    return Optional.of(new IssuedToken(value.substring(0, bar), Long.parseLong(value.substring(bar + 1))));
  }

  /** The revocation in force and whether this call made it. */
  record Revoked(Revocation revocation, boolean created) {}

  /** Stores the first revocation of a token; a repeat gets the earlier one back. */
  Revoked revoke(Revocation revocation, long expiresAtMillis) {
    String key = ctx.key("auth", "revoked", revocation.getTokenId());
    String value = B64.encodeToString(revocation.toByteArray());
    if ("OK".equals(redis().set(key, value, SetArgs.Builder.nx().pxAt(expiresAtMillis)))) {
      return new Revoked(revocation, true);
    }
    return new Revoked(revocation(revocation.getTokenId()).orElse(revocation), false);
  }

  Optional<Revocation> revocation(String tokenId) {
    String value = redis().get(ctx.key("auth", "revoked", tokenId));
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Revocation.parseFrom(B64D.decode(value)));
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      throw RpcException.dataLoss("the revocation of token " + tokenId + " is unreadable");
    }
  }

  /**
   * The HS256 key: NH_AUTH_SIGNING_KEY when configured (at least 32 bytes), else one random key
   * per key prefix, created once in Redis so every instance and every restart shares it.
   */
  byte[] signingKey() {
    byte[] key = signingKey;
    if (key != null) {
      return key;
    }
    String configured = System.getenv("NH_AUTH_SIGNING_KEY");
    if (configured != null && configured.getBytes(StandardCharsets.UTF_8).length >= 32) {
      key = configured.getBytes(StandardCharsets.UTF_8);
    } else {
      String redisKey = ctx.key("auth", "signing_key");
      byte[] fresh = new byte[32];
      new SecureRandom().nextBytes(fresh);
      redis().set(redisKey, B64.encodeToString(fresh), SetArgs.Builder.nx());
      key = B64D.decode(redis().get(redisKey));
    }
    signingKey = key;
    return key;
  }
}
