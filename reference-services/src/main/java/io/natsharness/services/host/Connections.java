package io.natsharness.services.host;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.nats.client.AuthHandler;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.NKey;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens the host's NATS and Redis connections from its settings, failing fast with a clear message. */
final class Connections {

  private static final Logger LOG = LoggerFactory.getLogger(Connections.class);

  private Connections() {}

  static Connection nats(HostSettings settings) {
    Options.Builder options = new Options.Builder()
        .server(settings.natsUrl())
        .connectionName("nh-reference-host")
        .connectionTimeout(Duration.ofSeconds(5))
        // After the first connect the host rides out server restarts instead of dying.
        .maxReconnects(-1)
        .reconnectWait(Duration.ofMillis(250))
        .errorListener(new ErrorListener() {});
    settings.natsUser().ifPresent(user ->
        options.userInfo(user, settings.natsPassword().orElse("")));
    settings.natsToken().ifPresent(token -> options.token(token.toCharArray()));
    settings.natsNkeySeed().ifPresent(seed -> options.authHandler(nkeyAuth(seed)));
    if (settings.natsCaFile().isPresent()) {
      options.sslContext(sslContext(settings));
    }
    try {
      return Nats.connect(options.build());
    } catch (IOException e) {
      throw new IllegalStateException("cannot connect to NATS at " + settings.natsUrl() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while connecting to NATS at " + settings.natsUrl(), e);
    }
  }

  static RedisClient redisClient(HostSettings settings) {
    RedisURI uri;
    try {
      uri = RedisURI.create(settings.redisUrl());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("REDIS_URL is not a Redis URI: " + settings.redisUrl(), e);
    }
    RedisURI.Builder builder = RedisURI.builder(uri).withTimeout(Duration.ofSeconds(10));
    if (settings.redisPassword().isPresent()) {
      // ACL user when REDIS_USER is set, else the "default" user of requirepass.
      builder.withAuthentication(settings.redisUser().orElse("default"),
          settings.redisPassword().orElseThrow().toCharArray());
    }
    return RedisClient.create(builder.build());
  }

  static StatefulRedisConnection<String, String> redis(RedisClient client, HostSettings settings) {
    try {
      return client.connect();
    } catch (RedisConnectionException e) {
      throw new IllegalStateException("cannot connect to Redis at " + settings.redisUrl() + ": " + e.getMessage(), e);
    }
  }

  private static AuthHandler nkeyAuth(String seed) {
    NKey key = NKey.fromSeed(seed.toCharArray());
    return new AuthHandler() {
      @Override
      public byte[] sign(byte[] nonce) {
        try {
          return key.sign(nonce);
        } catch (GeneralSecurityException | IOException e) {
          throw new IllegalStateException("cannot sign the NATS nonce with the nkey seed", e);
        }
      }

      @Override
      public char[] getID() {
        try {
          return key.getPublicKey();
        } catch (GeneralSecurityException | IOException e) {
          throw new IllegalStateException("cannot derive the public key of the nkey seed", e);
        }
      }

      @Override
      public char[] getJWT() {
        return null; // plain nkey auth: no user JWT (jnats' contract for this method)
      }
    };
  }

  /** An SSLContext trusting the CA file and, for mutual TLS, presenting the PEM cert and PKCS#8 key. */
  private static SSLContext sslContext(HostSettings settings) {
    try {
      CertificateFactory x509 = CertificateFactory.getInstance("X.509");
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (Certificate ca : certificates(x509, Path.of(settings.natsCaFile().orElseThrow()))) {
        trust.setCertificateEntry("ca-" + i++, ca);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      KeyManagerFactory kmf = null;
      if (settings.natsCertFile().isPresent() && settings.natsKeyFile().isPresent()) {
        KeyStore keys = KeyStore.getInstance(KeyStore.getDefaultType());
        keys.load(null, null);
        Collection<? extends Certificate> chain =
            certificates(x509, Path.of(settings.natsCertFile().orElseThrow()));
        keys.setKeyEntry("client", privateKey(Path.of(settings.natsKeyFile().orElseThrow())), new char[0],
            chain.toArray(new Certificate[0]));
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, new char[0]);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot set up TLS for NATS from NATS_CA_FILE/NATS_CERT_FILE/NATS_KEY_FILE: "
          + e.getMessage(), e);
    }
  }

  private static Collection<? extends Certificate> certificates(CertificateFactory x509, Path file)
      throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(file)) {
      return x509.generateCertificates(in);
    }
  }

  private static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
    String pem = Files.readString(file, StandardCharsets.US_ASCII);
    if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
      throw new GeneralSecurityException(file + " is not a PKCS#8 PEM key (BEGIN PRIVATE KEY)");
    }
    String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64));
    GeneralSecurityException last = null;
    for (String algorithm : new String[] {"EC", "RSA", "Ed25519"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    LOG.debug("no key factory accepts {}", file, last);
    throw new GeneralSecurityException("cannot read the private key in " + file + " (EC, RSA or Ed25519 expected)");
  }
}
