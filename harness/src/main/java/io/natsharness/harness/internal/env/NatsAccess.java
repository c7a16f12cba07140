package io.natsharness.harness.internal.env;

import io.nats.client.ErrorListener;
import io.nats.client.NKey;
import io.nats.client.Options;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * How a client reaches the environment's NATS: URLs, credentials and TLS. Immutable; each call to
 * {@link #options()} gives a fresh jnats builder.
 *
 * @param urls         every node's client URL
 * @param user         user name of user/password auth
 * @param password     password of user/password auth
 * @param token        token auth
 * @param nkeySeed     seed of an nkey user
 * @param sslContext   the TLS context trusting the throw-away CA (with a client key for mutual TLS)
 * @param tlsFiles     the PEM files behind that context, for implementations in other languages
 */
public record NatsAccess(
        List<String> urls,
        Optional<String> user,
        Optional<String> password,
        Optional<String> token,
        Optional<String> nkeySeed,
        Optional<SSLContext> sslContext,
        Optional<TlsFiles> tlsFiles) {

    /** PEM files of a TLS setup: CA always, client certificate and key for mutual TLS. */
    public record TlsFiles(Path caFile, Optional<Path> certFile, Optional<Path> keyFile) {
    }

    /**
     * Reports connection trouble through SLF4J at debug level: fault-switch tests break
     * connections on purpose, and jnats' default listener would print each break as SEVERE.
     */
    private static final ErrorListener QUIET_LISTENER = new ErrorListener() {
        private final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(NatsAccess.class);

        @Override
        public void errorOccurred(io.nats.client.Connection conn, String error) {
            log.debug("NATS server error: {}", error);
        }

        @Override
        public void exceptionOccurred(io.nats.client.Connection conn, Exception exp) {
            log.debug("NATS connection trouble: {}", exp.toString());
        }
    };

    public NatsAccess {
        urls = List.copyOf(urls);
    }

    /** Plain access without credentials or TLS. */
    public static NatsAccess plain(List<String> urls) {
        return new NatsAccess(urls, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The same credentials and TLS, other URLs (a restarted cluster, a container's mapped port). */
    public NatsAccess withUrls(List<String> newUrls) {
        return new NatsAccess(newUrls, user, password, token, nkeySeed, sslContext, tlsFiles);
    }

    /**
     * A fresh builder for a client that keeps reconnecting (tests flip fault switches and expect the
     * client to come back).
     */
    public Options.Builder options() {
        Options.Builder builder = new Options.Builder()
                .servers(urls.toArray(String[]::new))
                .connectionTimeout(Duration.ofSeconds(2))
                .maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(100))
                .reconnectJitter(Duration.ofMillis(50))
                .errorListener(QUIET_LISTENER);
        applyCredentials(builder);
        return builder;
    }

    /**
     * A builder for readiness probes: one attempt, no reconnect, and a quiet error listener so a
     * server that is still starting does not fill the log.
     */
    public Options.Builder probeOptions(String url) {
        Options.Builder builder = new Options.Builder()
                .server(url)
                .connectionTimeout(Duration.ofMillis(500))
                .noReconnect()
                .errorListener(new ErrorListener() { });
        applyCredentials(builder);
        return builder;
    }

    private void applyCredentials(Options.Builder builder) {
        if (user.isPresent()) {
            builder.userInfo(user.get(), password.orElse(""));
        }
        token.ifPresent(t -> builder.token(t.toCharArray()));
        nkeySeed.ifPresent(seed -> builder.authHandler(new NKeyAuth(seed)));
        sslContext.ifPresent(builder::sslContext);
    }

    /** The variables an implementation under test gets for this access. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("NATS_URL", String.join(",", urls));
        user.ifPresent(u -> env.put("NATS_USER", u));
        password.ifPresent(p -> env.put("NATS_PASSWORD", p));
        token.ifPresent(t -> env.put("NATS_TOKEN", t));
        nkeySeed.ifPresent(s -> env.put("NATS_NKEY_SEED", s));
        tlsFiles.ifPresent(files -> {
            env.put("NATS_CA_FILE", files.caFile().toString());
            files.certFile().ifPresent(c -> env.put("NATS_CERT_FILE", c.toString()));
            files.keyFile().ifPresent(k -> env.put("NATS_KEY_FILE", k.toString()));
        });
        return env;
    }

    /** Signs the server's nonce with the nkey of the seed (jnats' NKey API). */
    private static final class NKeyAuth implements io.nats.client.AuthHandler {
        private final NKey nkey;

        NKeyAuth(String seed) {
            this.nkey = NKey.fromSeed(seed.toCharArray());
        }

        @Override
        public byte[] sign(byte[] nonce) {
            try {
                return nkey.sign(nonce);
            } catch (java.security.GeneralSecurityException | java.io.IOException e) {
                throw new IllegalStateException("could not sign the server's nonce with the nkey", e);
            }
        }

        @Override
        public char[] getID() {
            try {
                return nkey.getPublicKey();
            } catch (java.security.GeneralSecurityException | java.io.IOException e) {
                throw new IllegalStateException("could not derive the nkey's public key", e);
            }
        }

        @Override
        public char[] getJWT() {
            return null; // jnats' contract: no JWT for a plain nkey user
        }
    }

    @Override
    public String toString() {
        // never print secrets
        return "NatsAccess" + urls + (user.isPresent() ? " user=" + user.get() : "")
                + (token.isPresent() ? " token=***" : "") + (nkeySeed.isPresent() ? " nkey" : "")
                + (sslContext.isPresent() ? " tls" : "");
    }
}
