package io.natsharness.services.infra.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.util.Timestamps;
import io.natsharness.proto.infra.auth.v1.TokenClaims;
import io.natsharness.sdk.status.RpcException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Tokens in JWS compact form, HS256: {@code base64url(header).base64url(claims).base64url(sig)}
 * with header {@code {"alg":"HS256","typ":"JWT"}} and claims {@code jti}, {@code sub},
 * {@code scopes}, {@code iat} and {@code exp} (Unix seconds).
 */
final class TokenCodec {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final String HEADER = B64.encodeToString(
      "{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

  private final Supplier<byte[]> key;

  TokenCodec(Supplier<byte[]> key) {
    this.key = key;
  }

  String encode(TokenClaims claims) {
    ObjectNode body = JSON.createObjectNode();
    body.put("jti", claims.getTokenId());
    body.put("sub", claims.getSubject());
    ArrayNode scopes = body.putArray("scopes");
    claims.getScopesList().forEach(scopes::add);
    body.put("iat", claims.getIssuedAt().getSeconds());
    body.put("exp", claims.getExpiresAt().getSeconds());
    String signingInput;
    try {
      signingInput = HEADER + "." + B64.encodeToString(JSON.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write token claims", e);
    }
    return signingInput + "." + B64.encodeToString(sign(signingInput));
  }

  /**
   * The claims of a token whose signature holds (expiry and revocation are the caller's checks).
   *
   * @throws RpcException UNAUTHENTICATED for a malformed token or a bad signature
   */
  TokenClaims decode(String token) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      throw RpcException.unauthenticated("the token is malformed");
    }
    byte[] signature;
    JsonNode header;
    JsonNode body;
    try {
      signature = Base64.getUrlDecoder().decode(parts[2]);
      header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
      body = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
    } catch (IllegalArgumentException | java.io.IOException e) {
      throw RpcException.unauthenticated("the token is malformed");
    }
    if (header == null || !"HS256".equals(header.path("alg").asText())) {
      throw RpcException.unauthenticated("the token is malformed");
    }
    if (!MessageDigest.isEqual(sign(parts[0] + "." + parts[1]), signature)) {
      throw RpcException.unauthenticated("the token's signature is invalid");
    }
    if (body == null || !body.path("jti").isTextual() || !body.path("sub").isTextual()
        || !body.path("exp").canConvertToLong() || !body.path("iat").canConvertToLong() || !body.path("scopes").isArray()) {
      throw RpcException.unauthenticated("the token is malformed");
    }
    TokenClaims.Builder claims = TokenClaims.newBuilder()
        .setTokenId(body.get("jti").asText())
        .setSubject(body.get("sub").asText())
        .setIssuedAt(Timestamps.fromSeconds(body.get("iat").asLong()))
        .setExpiresAt(Timestamps.fromSeconds(body.get("exp").asLong()));
    body.get("scopes").forEach(scope -> claims.addScopes(scope.asText()));
    return claims.build();
  }

  private byte[] sign(String signingInput) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.get(), "HmacSHA256"));
      return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }
}
