package io.natsharness.harness.internal.tls;

import io.nats.client.NKey;
import io.natsharness.harness.HarnessException;
import io.natsharness.harness.NatsUser;
import io.natsharness.harness.internal.env.NatsAccess;
import io.natsharness.harness.internal.env.SecuritySpec;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Everything secret an environment makes at start: the throw-away CA and its certificates, the
 * nkey pairs of nkey users, and the passwords of the harness's own admin users (used only for
 * readiness checks, so a test's restricted users never have to allow them).
 */
public final class SecurityMaterial {

    /** The harness's own NATS user, for readiness probes when the test defines users. */
    public static final String ADMIN = "nh-admin";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecuritySpec spec;
    private final Optional<ThrowAwayCa.IssuedFiles> server;
    private final Optional<ThrowAwayCa.IssuedFiles> client;
    private final Map<String, String> nkeySeeds;
    private final Map<String, String> nkeyPublicKeys;
    private final String adminPassword;
    private final String redisAdminPassword;

    private SecurityMaterial(SecuritySpec spec, Optional<ThrowAwayCa.IssuedFiles> server,
                             Optional<ThrowAwayCa.IssuedFiles> client, Map<String, String> nkeySeeds,
                             Map<String, String> nkeyPublicKeys) {
        this.spec = spec;
        this.server = server;
        this.client = client;
        this.nkeySeeds = Map.copyOf(nkeySeeds);
        this.nkeyPublicKeys = Map.copyOf(nkeyPublicKeys);
        this.adminPassword = secret();
        this.redisAdminPassword = spec.redisPassword().orElseGet(SecurityMaterial::secret);
    }

    /**
     * Makes the material {@code spec} needs, writing PEM files under {@code dir}.
     *
     * @param hostNames the names and addresses clients use to reach the servers (certificate SANs)
     */
    public static SecurityMaterial create(SecuritySpec spec, Path dir, List<String> hostNames) {
        Optional<ThrowAwayCa.IssuedFiles> server = Optional.empty();
        Optional<ThrowAwayCa.IssuedFiles> client = Optional.empty();
        if (spec.needsCa()) {
            ThrowAwayCa ca = ThrowAwayCa.create();
            server = Optional.of(ca.issue(dir, "server", hostNames));
            if (spec.mutualTls()) {
                client = Optional.of(ca.issue(dir, "client", List.of("nats-harness-client")));
            }
        }
        Map<String, String> seeds = new LinkedHashMap<>();
        Map<String, String> publicKeys = new LinkedHashMap<>();
        for (NatsUser user : spec.natsUsers()) {
            if (user.kind() == NatsUser.Kind.NKEY) {
                try {
                    NKey key = NKey.createUser(RANDOM);
                    seeds.put(user.name(), new String(key.getSeed()));
                    publicKeys.put(user.name(), new String(key.getPublicKey()));
                } catch (GeneralSecurityException | IOException e) {
                    throw new HarnessException("could not make an nkey for " + user.name() + ": " + e.getMessage(), e);
                }
            }
        }
        return new SecurityMaterial(spec, server, client, seeds, publicKeys);
    }

    /** What was asked for. */
    public SecuritySpec spec() {
        return spec;
    }

    /** Server certificate, key and CA, when TLS is on. */
    public Optional<ThrowAwayCa.IssuedFiles> server() {
        return server;
    }

    /** Client certificate, key and CA, for mutual TLS. */
    public Optional<ThrowAwayCa.IssuedFiles> client() {
        return client;
    }

    /** The nkey public key of an nkey user. */
    public String nkeyPublicKey(String user) {
        return nkeyPublicKeys.get(user);
    }

    /** The password of the harness's own NATS admin user. */
    public String adminPassword() {
        return adminPassword;
    }

    /** The password of Redis's default user (the test's, or one made up for readiness checks). */
    public String redisAdminPassword() {
        return redisAdminPassword;
    }

    /** True when Redis's default user needs a password. */
    public boolean redisNeedsPassword() {
        return spec.redisPassword().isPresent() || spec.redisUser().isPresent();
    }

    /** The CA file clients must trust, when any server speaks TLS. */
    public Optional<Path> caFile() {
        return server.map(ThrowAwayCa.IssuedFiles::caFile);
    }

    /** Access for every NATS user by name, the default (first, or anonymous) under the key {@code ""}. */
    public Map<String, NatsAccess> natsAccess(List<String> plainUrls) {
        List<String> urls = spec.natsTls() ? plainUrls.stream().map(u -> u.replaceFirst("^nats://", "tls://")).toList()
                : plainUrls;
        Optional<SSLContext> ssl = spec.natsTls() ? Optional.of(PemSsl.context(server.orElseThrow().caFile(),
                client.map(ThrowAwayCa.IssuedFiles::certFile), client.map(ThrowAwayCa.IssuedFiles::keyFile)))
                : Optional.empty();
        Optional<NatsAccess.TlsFiles> files = spec.natsTls() ? Optional.of(new NatsAccess.TlsFiles(
                server.orElseThrow().caFile(), client.map(ThrowAwayCa.IssuedFiles::certFile),
                client.map(ThrowAwayCa.IssuedFiles::keyFile))) : Optional.empty();
        Map<String, NatsAccess> access = new LinkedHashMap<>();
        for (NatsUser user : spec.natsUsers()) {
            NatsAccess userAccess = switch (user.kind()) {
                case PASSWORD -> new NatsAccess(urls, Optional.of(user.name()), Optional.of(user.secret()),
                        Optional.empty(), Optional.empty(), ssl, files);
                case TOKEN -> new NatsAccess(urls, Optional.empty(), Optional.empty(), Optional.of(user.secret()),
                        Optional.empty(), ssl, files);
                case NKEY -> new NatsAccess(urls, Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.of(nkeySeeds.get(user.name())), ssl, files);
            };
            access.putIfAbsent("", userAccess);
            access.put(user.name(), userAccess);
        }
        access.putIfAbsent("", new NatsAccess(urls, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), ssl, files));
        return access;
    }

    /** Access for readiness probes: the admin user when users are defined, else the default. */
    public NatsAccess probeAccess(Map<String, NatsAccess> access) {
        NatsAccess fallback = access.get("");
        boolean tokenMode = spec.natsUsers().stream().anyMatch(u -> u.kind() == NatsUser.Kind.TOKEN);
        if (spec.natsUsers().isEmpty() || tokenMode) {
            return fallback;
        }
        return new NatsAccess(fallback.urls(), Optional.of(ADMIN), Optional.of(adminPassword), Optional.empty(),
                Optional.empty(), fallback.sslContext(), fallback.tlsFiles());
    }

    private static String secret() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
