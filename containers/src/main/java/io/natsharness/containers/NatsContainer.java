package io.natsharness.containers;

import io.nats.client.Options;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * A NATS server in a container: JetStream, a configuration file, TLS, client credentials.
 *
 * <p>Ready means the log said "Server is ready" and a real jnats client connected (and, with
 * JetStream, JetStream answered an account-info request). The default image comes from
 * {@link ContainerImages#nats()}: the official image, or one built from the host's
 * {@code nats-server} where none can be pulled. Ports are published on 127.0.0.1 at random ports
 * chosen at start; {@link #faults()} stops, kills, pauses and restarts the server on them.
 *
 * <pre>{@code
 * try (NatsContainer nats = new NatsContainer().withJetStream()) {
 *     nats.start();
 *     try (Connection connection = Nats.connect(nats.clientOptions().build())) {
 *         connection.jetStreamManagement().addStream(StreamConfiguration.builder()
 *                 .name("ORDERS").subjects("orders.>").build());
 *     }
 * }
 * }</pre>
 */
public class NatsContainer extends GenericContainer<NatsContainer> {

    public static final int CLIENT_PORT = 4222;
    public static final int MONITOR_PORT = 8222;
    public static final int ROUTE_PORT = 6222;
    static final String CONFIG_FILE = "/etc/nats/natsharness.conf";
    static final String TLS_FOLDER = "/etc/nats/tls";
    static final String STORE_DIR = "/data/jetstream";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern NO_SPACE = Pattern.compile("\\S+");

    private boolean jetStream;
    private String config;
    private TlsMaterial tls;
    private String user;
    private String password;
    private String token;
    private String serverName;
    private List<String> clusterArguments = List.of();
    private final StartupLog startupLog = new StartupLog();
    private final ContainerFaults faults = new ContainerFaults(this, this::awaitClientReady);

    /** A container of the image {@link ContainerImages#nats()} names, resolved at start. */
    public NatsContainer() {
        this(ContainerImages.lazily(ContainerImages::nats));
    }

    /** A container of the given image (official or compatible); image-name substitution applies. */
    public NatsContainer(DockerImageName image) {
        this(new RemoteDockerImage(image));
    }

    private NatsContainer(RemoteDockerImage image) {
        super(image);
        withExposedPorts(CLIENT_PORT, MONITOR_PORT);
        withLabels(ContainerLabels.forThisProcess());
        withLogConsumer(startupLog);
        waitingFor(new WaitAllStrategy(WaitAllStrategy.Mode.WITH_OUTER_TIMEOUT)
                // The client check first: it fails at once when the server exits, where waiting for
                // the log line would sit out the whole timeout.
                .withStrategy(new NatsClientWaitStrategy())
                .withStrategy(Wait.forLogMessage(".*Server is ready.*\\n", 1))
                .withStartupTimeout(Duration.ofSeconds(60)));
    }

    /** Turns JetStream on, with its store inside the container (kept across {@link #faults()} restarts). */
    public NatsContainer withJetStream() {
        this.jetStream = true;
        return self();
    }

    /**
     * A {@code nats-server.conf} text, copied into the container and loaded with {@code --config}.
     * Ports, JetStream, TLS and clustering set through this class come as command-line flags, which
     * take precedence over the file.
     */
    public NatsContainer withConfig(String natsServerConf) {
        if (natsServerConf == null || natsServerConf.isBlank()) {
            throw new IllegalArgumentException("the NATS configuration is empty");
        }
        this.config = natsServerConf;
        return self();
    }

    /** TLS on the client port (mutual TLS when the material has a client certificate). */
    public NatsContainer withTls(TlsMaterial tls) {
        this.tls = Objects.requireNonNull(tls, "tls");
        return self();
    }

    /** The user and password the readiness check and {@link #clientOptions()} log in with. */
    public NatsContainer withClientCredentials(String user, String password) {
        this.user = credential(user, "user");
        this.password = credential(password, "password");
        return self();
    }

    /** The token the readiness check and {@link #clientOptions()} log in with. */
    public NatsContainer withClientToken(String token) {
        this.token = credential(token, "token");
        return self();
    }

    /** The server's name (needed by JetStream clusters; letters, digits, '-' and '_'). */
    public NatsContainer withServerName(String serverName) {
        if (serverName == null || !NAME.matcher(serverName).matches()) {
            throw new IllegalArgumentException("not a valid server name (letters, digits, '-', '_'): '"
                    + serverName + "'");
        }
        this.serverName = serverName;
        return self();
    }

    /** Used by {@link NatsClusterContainers}: the cluster listener and the routes to every node. */
    NatsContainer withClusterRoutes(String clusterName, List<String> routes) {
        this.clusterArguments = List.of("--cluster", "nats://0.0.0.0:" + ROUTE_PORT, "--cluster_name", clusterName,
                "--routes", String.join(",", routes),
                // Clients reach nodes through published ports, not the addresses the nodes know.
                "--no_advertise=true");
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
            throw startupLog.failure("NATS", e);
        }
    }

    @Override
    protected void configure() {
        List<String> arguments = new ArrayList<>();
        if (config != null) {
            withCopyToContainer(Transferable.of(config, 0644), CONFIG_FILE);
            arguments.addAll(List.of("--config", CONFIG_FILE));
        }
        arguments.addAll(List.of("--port", Integer.toString(CLIENT_PORT), "--http_port", Integer.toString(MONITOR_PORT)));
        if (serverName != null) {
            arguments.addAll(List.of("--server_name", serverName));
        }
        if (jetStream) {
            arguments.addAll(List.of("--jetstream", "--store_dir", STORE_DIR));
        }
        if (tls != null) {
            arguments.addAll(tlsArguments());
        }
        arguments.addAll(clusterArguments);
        setCommand(arguments.toArray(new String[0]));
        LoopbackPorts.bind(this);
    }

    private List<String> tlsArguments() {
        copy(tls.caCertificate(), "ca.pem");
        copy(tls.serverCertificate(), "server.pem");
        copy(tls.serverKey(), "server-key.pem");
        List<String> arguments = new ArrayList<>(List.of("--tls", "--tlscert", TLS_FOLDER + "/server.pem",
                "--tlskey", TLS_FOLDER + "/server-key.pem", "--tlscacert", TLS_FOLDER + "/ca.pem"));
        if (tls.isMutual()) {
            arguments.add("--tlsverify");
        }
        return arguments;
    }

    private void copy(Path file, String name) {
        // 0644: the official images may run the server as a user other than the files' owner.
        withCopyFileToContainer(MountableFile.forHostPath(file, 0644), TLS_FOLDER + "/" + name);
    }

    /** {@code nats://host:port} (or {@code tls://…}) to reach the server from this machine. */
    public String getNatsUrl() {
        return (tls == null ? "nats://" : "tls://") + getHost() + ":" + getClientPort();
    }

    /** The client port as published on the host. */
    public int getClientPort() {
        return getMappedPort(CLIENT_PORT);
    }

    /** {@code http://host:port} of the monitoring endpoints ({@code /varz}, {@code /healthz}, {@code /jsz}). */
    public String getMonitorUrl() {
        return "http://" + getHost() + ":" + getMappedPort(MONITOR_PORT);
    }

    /**
     * The URL other containers on the same {@link org.testcontainers.containers.Network} use.
     *
     * @throws IllegalStateException when the container is on no network of its own
     */
    public String getInternalNatsUrl() {
        if (getNetwork() == null) {
            throw new IllegalStateException("this NATS container is on no network: give it withNetwork(..) so that"
                    + " other containers can reach it");
        }
        return (tls == null ? "nats://" : "tls://") + getNetworkAliases().get(0) + ":" + CLIENT_PORT;
    }

    /**
     * Fresh jnats options for this server: its URL, the TLS context and the client credentials set
     * here. Add your own settings before {@code build()}.
     */
    public Options.Builder clientOptions() {
        return clientOptions(List.of(getNatsUrl()));
    }

    Options.Builder clientOptions(List<String> urls) {
        Options.Builder options = Options.builder().servers(urls.toArray(new String[0]));
        if (tls != null) {
            options.sslContext(tls.clientSslContext());
        }
        if (user != null) {
            options.userInfo(user, password);
        }
        if (token != null) {
            options.token(token.toCharArray());
        }
        return options;
    }

    public boolean isJetStreamEnabled() {
        return jetStream;
    }

    public Optional<TlsMaterial> getTlsMaterial() {
        return Optional.ofNullable(tls);
    }

    boolean hasClientCredentials() {
        return user != null || token != null;
    }

    /** Stop, kill, pause, resume and start again this server. */
    public ContainerFaults faults() {
        return faults;
    }

    private void awaitClientReady() {
        new NatsClientWaitStrategy().withStartupTimeout(Duration.ofSeconds(60)).waitUntilReady(this);
    }

    private static String credential(String value, String what) {
        if (value == null || !NO_SPACE.matcher(value).matches()) {
            throw new IllegalArgumentException("the " + what + " must be non-empty and without spaces");
        }
        return value;
    }
}
