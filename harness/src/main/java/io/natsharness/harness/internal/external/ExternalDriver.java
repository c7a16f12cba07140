package io.natsharness.harness.internal.external;

import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisURI;
import io.lettuce.core.resource.ClientResources;
import io.natsharness.harness.Backend;
import io.natsharness.harness.HarnessException;
import io.natsharness.harness.RedisTopology;
import io.natsharness.harness.ServerNode;
import io.natsharness.harness.internal.env.BackendDriver;
import io.natsharness.harness.internal.env.EnvironmentSpec;
import io.natsharness.harness.internal.env.ExternalSettings;
import io.natsharness.harness.internal.env.NatsAccess;
import io.natsharness.harness.internal.env.RedisAccess;
import io.natsharness.harness.internal.env.Settings;
import io.natsharness.harness.internal.ready.Readiness;
import io.natsharness.harness.internal.tls.PemSsl;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The external backend: connects to a running deployment named by {@code NATS_URL} and
 * {@code REDIS_URL} (or the {@code natsharness.*} system properties) and checks that it answers.
 * Credentials: {@code NATS_USER}/{@code NATS_PASSWORD}, {@code NATS_TOKEN}, {@code NATS_NKEY_SEED},
 * {@code NATS_CA_FILE} (+ {@code NATS_CERT_FILE}/{@code NATS_KEY_FILE} for mutual TLS),
 * {@code REDIS_USER}/{@code REDIS_PASSWORD}.
 */
public final class ExternalDriver implements BackendDriver {

    private static final Logger LOG = LoggerFactory.getLogger(ExternalDriver.class);
    /** A deployment that is up answers at once; a wrong URL must not cost minutes. */
    public static final Duration CHECK_TIMEOUT = Duration.ofSeconds(5);

    private final Settings settings;
    private final Duration checkTimeout;

    /**
     * @param settings     where NATS_URL and the rest come from
     * @param checkTimeout how long the deployment may take to answer
     */
    public ExternalDriver(Settings settings, Duration checkTimeout) {
        this.settings = settings;
        this.checkTimeout = checkTimeout;
    }

    @Override
    public Backend backend() {
        return Backend.EXTERNAL;
    }

    @Override
    public Servers start(EnvironmentSpec spec, Path workDir, ClientResources resources) {
        String natsUrl = ExternalSettings.natsUrl(settings).orElseThrow(() -> new HarnessException(
                "the external backend needs NATS_URL (or -Dnatsharness.nats.url): the URL(s) of a running NATS "
                        + "server with JetStream, comma separated"));
        NatsAccess nats = natsAccess(natsUrl);
        List<ServerNode> natsNodes = new ArrayList<>();
        for (int i = 0; i < nats.urls().size(); i++) {
            natsNodes.add(new ExternalNode("nats-" + i, portOf(nats.urls().get(i), 4222)));
        }
        if (spec.natsNodes() != nats.urls().size()) {
            LOG.info("nats-harness: the test asked for {} NATS node(s); the external deployment gives {} URL(s) and "
                    + "is used as it is", spec.natsNodes(), nats.urls().size());
        }
        Readiness.await("external NATS at " + natsUrl, Readiness.natsJetStream(
                nats.probeOptions(nats.urls().get(0)).build()), checkTimeout, () -> true,
                () -> "(check NATS_URL, the credentials and that JetStream is enabled)");
        Optional<RedisAccess> redis = Optional.empty();
        List<ServerNode> redisNodes = new ArrayList<>();
        if (spec.redis() != RedisTopology.NONE) {
            String redisUrl = ExternalSettings.redisUrl(settings).orElseThrow(() -> new HarnessException(
                    "the test asks for Redis but REDIS_URL (or -Dnatsharness.redis.url) is not set; set it to "
                            + "the running Redis, or use redis = false"));
            RedisAccess access = redisAccess(spec.redis(), redisUrl);
            for (int i = 0; i < access.ports().size(); i++) {
                redisNodes.add(new ExternalNode("redis-" + i, access.ports().get(i)));
            }
            Readiness.await("external Redis at " + access.host() + ":" + access.ports().get(0),
                    Readiness.redisPing(access.uri(access.ports().get(0)), resources, access.clientOptions()),
                    checkTimeout, () -> true, () -> "(check REDIS_URL and the credentials)");
            redis = Optional.of(access);
        }
        return new Servers(nats, Map.of("", nats), redis, natsNodes, redisNodes, () -> { });
    }

    private NatsAccess natsAccess(String natsUrl) {
        List<String> urls = Arrays.stream(natsUrl.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        Optional<String> ca = ExternalSettings.value(settings, "NATS_CA_FILE");
        Optional<String> cert = ExternalSettings.value(settings, "NATS_CERT_FILE");
        Optional<String> key = ExternalSettings.value(settings, "NATS_KEY_FILE");
        Optional<SSLContext> ssl = ca.map(c -> PemSsl.context(Path.of(c), cert.map(Path::of), key.map(Path::of)));
        Optional<NatsAccess.TlsFiles> files = ca.map(c -> new NatsAccess.TlsFiles(Path.of(c), cert.map(Path::of),
                key.map(Path::of)));
        return new NatsAccess(urls, ExternalSettings.value(settings, "NATS_USER"),
                ExternalSettings.value(settings, "NATS_PASSWORD"), ExternalSettings.value(settings, "NATS_TOKEN"),
                ExternalSettings.value(settings, "NATS_NKEY_SEED"), ssl, files);
    }

    private RedisAccess redisAccess(RedisTopology topology, String redisUrl) {
        RedisURI uri;
        try {
            uri = RedisURI.create(redisUrl);
        } catch (RuntimeException e) {
            throw new HarnessException("REDIS_URL=" + redisUrl + " is not a Redis URL (redis://host:port or "
                    + "rediss://…): " + e.getMessage(), e);
        }
        // credentials written in the URL, if any (redis://user:secret@host); variables win
        Optional<RedisCredentials> inUrl = Optional.ofNullable(uri.getCredentialsProvider())
                .map(provider -> provider.resolveCredentials().block(Duration.ofSeconds(1)));
        Optional<String> user = ExternalSettings.value(settings, "REDIS_USER")
                .or(() -> inUrl.filter(RedisCredentials::hasUsername).map(RedisCredentials::getUsername));
        Optional<String> password = ExternalSettings.value(settings, "REDIS_PASSWORD")
                .or(() -> inUrl.filter(RedisCredentials::hasPassword).map(c -> new String(c.getPassword())));
        List<Integer> ports = new ArrayList<>(List.of(uri.getPort()));
        ExternalSettings.value(settings, "REDIS_CLUSTER_NODES").ifPresent(nodes -> {
            ports.clear();
            Arrays.stream(nodes.split(",")).map(String::trim).forEach(n -> ports.add(portOf("redis://" + n, 6379)));
        });
        return new RedisAccess(topology, uri.getHost(), ports, user, password, uri.isSsl(),
                ExternalSettings.value(settings, "REDIS_CA_FILE").map(Path::of));
    }

    private static int portOf(String url, int fallback) {
        try {
            int port = URI.create(url).getPort();
            return port > 0 ? port : fallback;
        } catch (IllegalArgumentException e) {
            throw new HarnessException("'" + url + "' is not a URL such as nats://host:4222", e);
        }
    }
}
