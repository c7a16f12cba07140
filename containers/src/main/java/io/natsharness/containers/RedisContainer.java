package io.natsharness.containers;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.containers.wait.strategy.WaitAllStrategy;
import org.testcontainers.images.RemoteDockerImage;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * A Redis server in a container: a password for the default user, ACL users, TLS.
 *
 * <p>Ready means the log said "Ready to accept connections" and a Lettuce client got PONG (as the
 * default user, with its password when one is set). The server keeps nothing on disk
 * ({@code save ""}, no AOF) and runs with {@code protected-mode no}, which a published port needs.
 * The default image comes from {@link ContainerImages#redis()}.
 *
 * <pre>{@code
 * try (RedisContainer redis = new RedisContainer().withAclUser("app", "app-secret", "~app:* +@all")) {
 *     redis.start();
 *     RedisClient client = RedisClient.create(redis.getRedisUri("app", "app-secret"));
 *     client.connect().sync().set("app:greeting", "hello");
 * }
 * }</pre>
 */
public class RedisContainer extends GenericContainer<RedisContainer> {

    public static final int REDIS_PORT = 6379;
    static final String CONFIG_FILE = "/etc/redis/natsharness.conf";
    static final String TLS_FOLDER = "/etc/redis/tls";
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern SECRET = Pattern.compile("[!-~]{1,256}");

    private String password;
    private final Map<String, String> aclUsers = new LinkedHashMap<>();
    private TlsMaterial tls;
    private String extraConfig;
    private Integer hostNetworkPort;
    private final StartupLog startupLog = new StartupLog();
    private final ContainerFaults faults = new ContainerFaults(this, this::awaitPong);

    /** A container of the image {@link ContainerImages#redis()} names, resolved at start. */
    public RedisContainer() {
        this(ContainerImages.lazily(ContainerImages::redis));
    }

    /** A container of the given image (official or compatible); image-name substitution applies. */
    public RedisContainer(DockerImageName image) {
        this(new RemoteDockerImage(image));
    }

    private RedisContainer(RemoteDockerImage image) {
        super(image);
        withExposedPorts(REDIS_PORT);
        withLabels(ContainerLabels.forThisProcess());
        withLogConsumer(startupLog);
        waitingFor(new WaitAllStrategy(WaitAllStrategy.Mode.WITH_OUTER_TIMEOUT)
                // PING first: it fails at once when the server exits (see NatsContainer).
                .withStrategy(new RedisPingWaitStrategy())
                .withStrategy(Wait.forLogMessage(".*Ready to accept connections.*\\n", 1))
                .withStartupTimeout(Duration.ofSeconds(60)));
    }

    /** The default user's password ({@code requirepass}); clients must then authenticate. */
    public RedisContainer withPassword(String password) {
        this.password = secret(password, "password");
        return self();
    }

    /**
     * An ACL user, e.g. {@code withAclUser("app", "s3cret", "~app:* &app:* +@all")}.
     *
     * @param rules ACL rules in redis.conf syntax: key patterns, channels, command categories
     */
    public RedisContainer withAclUser(String user, String password, String rules) {
        if (user == null || !USER.matcher(user).matches()) {
            throw new IllegalArgumentException("not a valid Redis user name (letters, digits, '.', '-', '_'): '"
                    + user + "'");
        }
        if (rules == null || rules.isBlank() || rules.contains("\n") || rules.contains(">")) {
            throw new IllegalArgumentException("ACL rules must be one non-empty line without '>' (the password is"
                    + " given separately): '" + rules + "'");
        }
        aclUsers.put(user, "user " + user + " on >" + secret(password, "password") + " " + rules.trim());
        return self();
    }

    /** TLS only (the plain port is closed); mutual TLS when the material has a client certificate. */
    public RedisContainer withTls(TlsMaterial tls) {
        this.tls = Objects.requireNonNull(tls, "tls");
        return self();
    }

    /** More redis.conf lines, appended after the ones this class writes (later lines win). */
    public RedisContainer withConfig(String redisConf) {
        if (redisConf == null || redisConf.isBlank()) {
            throw new IllegalArgumentException("the Redis configuration is empty");
        }
        this.extraConfig = redisConf;
        return self();
    }

    /**
     * Used by {@link RedisClusterContainers}: the host's network, the given port on 127.0.0.1 (its
     * cluster bus on port + 10000) and cluster mode, so that the addresses nodes announce are the
     * ones clients on this machine dial.
     */
    RedisContainer asClusterNodeOnHostNetwork(int port) {
        this.hostNetworkPort = port;
        withNetworkMode("host");
        setExposedPorts(new ArrayList<>());
        return self();
    }

    /**
     * Starts the container and waits until the server is ready.
     *
     * @throws ContainerLaunchException when it is not, with the reason and the end of its log
     */
    @Override
    public void start() {
        try {
            super.start();
        } catch (RuntimeException e) {
            throw startupLog.failure("Redis", e);
        }
    }

    @Override
    protected void configure() {
        withCopyToContainer(Transferable.of(configText(), 0644), CONFIG_FILE);
        if (tls != null) {
            copy(tls.caCertificate(), "ca.pem");
            copy(tls.serverCertificate(), "server.pem");
            copy(tls.serverKey(), "server-key.pem");
        }
        // A first argument ending in .conf works with the official entrypoint and with our own image.
        setCommand(CONFIG_FILE);
        LoopbackPorts.bind(this);
    }

    String configText() {
        StringBuilder conf = new StringBuilder();
        int port = hostNetworkPort == null ? REDIS_PORT : hostNetworkPort;
        if (tls == null) {
            conf.append("port ").append(port).append('\n');
        } else {
            conf.append("port 0\ntls-port ").append(port).append('\n')
                    .append("tls-cert-file ").append(TLS_FOLDER).append("/server.pem\n")
                    .append("tls-key-file ").append(TLS_FOLDER).append("/server-key.pem\n")
                    .append("tls-ca-cert-file ").append(TLS_FOLDER).append("/ca.pem\n")
                    .append("tls-auth-clients ").append(tls.isMutual() ? "yes" : "no").append('\n');
        }
        // On the host's network, loopback only; behind a published port, every interface of the container.
        conf.append(hostNetworkPort == null ? "bind * -::*\n" : "bind 127.0.0.1\n")
                .append("protected-mode no\nsave \"\"\nappendonly no\ndir /data\n");
        if (hostNetworkPort != null) {
            conf.append("cluster-enabled yes\ncluster-config-file nodes.conf\ncluster-node-timeout 5000\n");
        }
        if (password != null) {
            conf.append("requirepass ").append(password).append('\n');
        }
        aclUsers.values().forEach(line -> conf.append(line).append('\n'));
        if (extraConfig != null) {
            conf.append(extraConfig).append('\n');
        }
        return conf.toString();
    }

    private void copy(Path file, String name) {
        withCopyFileToContainer(MountableFile.forHostPath(file, 0644), TLS_FOLDER + "/" + name);
    }

    /**
     * {@code redis://host:port} ({@code rediss://} with TLS), with the default user's password when
     * one is set: {@code redis://default:password@host:port}.
     */
    public String getRedisUri() {
        return password == null ? uri(null, null) : uri("default", password);
    }

    /** The URI for a given user, e.g. an ACL user: {@code redis://user:password@host:port}. */
    public String getRedisUri(String user, String password) {
        return uri(Objects.requireNonNull(user, "user"), Objects.requireNonNull(password, "password"));
    }

    private String uri(String user, String secret) {
        String credentials = user == null ? "" : encode(user) + ":" + encode(secret) + "@";
        return (tls == null ? "redis://" : "rediss://") + credentials + getHost() + ":" + getRedisPort();
    }

    /**
     * The URI other containers on the same {@link org.testcontainers.containers.Network} use, with
     * the default user's password when one is set.
     *
     * @throws IllegalStateException when the container is on no network of its own
     */
    public String getInternalRedisUri() {
        if (getNetwork() == null) {
            throw new IllegalStateException("this Redis container is on no network: give it withNetwork(..) so that"
                    + " other containers can reach it");
        }
        String credentials = password == null ? "" : "default:" + encode(password) + "@";
        return (tls == null ? "redis://" : "rediss://") + credentials + getNetworkAliases().get(0) + ":" + REDIS_PORT;
    }

    /** The Redis port as published on the host. */
    public int getRedisPort() {
        return hostNetworkPort == null ? getMappedPort(REDIS_PORT) : hostNetworkPort;
    }

    /** A Lettuce URI for the default user (its password when set), TLS with peer verification when on. */
    public RedisURI redisUri() {
        RedisURI.Builder uri = RedisURI.Builder.redis(getHost(), getRedisPort()).withTimeout(Duration.ofSeconds(5));
        if (password != null) {
            uri.withAuthentication("default", password);
        }
        if (tls != null) {
            uri.withSsl(true).withVerifyPeer(true);
        }
        return uri.build();
    }

    /** Lettuce client options: with TLS, trust in the CA and, for mutual TLS, the client certificate. */
    public ClientOptions clientOptions() {
        ClientOptions.Builder options = ClientOptions.builder();
        if (tls != null) {
            SslOptions.Builder ssl = SslOptions.builder().jdkSslProvider().trustManager(tls.caCertificate().toFile());
            if (tls.isMutual()) {
                ssl.keyManager(tls.clientCertificate().orElseThrow().toFile(), tls.clientKey().orElseThrow().toFile(),
                        null);
            }
            options.sslOptions(ssl.build());
        }
        return options.build();
    }

    public Optional<TlsMaterial> getTlsMaterial() {
        return Optional.ofNullable(tls);
    }

    /** Stop, kill, pause, resume and start again this server. */
    public ContainerFaults faults() {
        return faults;
    }

    private void awaitPong() {
        new RedisPingWaitStrategy().withStartupTimeout(Duration.ofSeconds(60)).waitUntilReady(this);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String secret(String value, String what) {
        if (value == null || !SECRET.matcher(value).matches()) {
            throw new IllegalArgumentException("the " + what + " must be 1 to 256 printable ASCII characters"
                    + " without spaces");
        }
        return value;
    }
}
