package io.natsharness.sdk.support;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real nats-server (JetStream on) as a child process, once per test class; the sdk's tests
 * cannot use the harness module, which depends on the sdk.
 *
 * <pre>{@code
 * @RegisterExtension static final NatsServerExtension NATS = new NatsServerExtension();
 * Connection c = NATS.connect();
 * }</pre>
 */
public final class NatsServerExtension implements BeforeAllCallback, AfterAllCallback {

  private static final String BINARY = System.getenv().getOrDefault("NATS_SERVER_BIN", "/usr/sbin/nats-server");

  private Process process;
  private int port;
  private final List<Connection> connections = new ArrayList<>();
  /** @Nested classes run the callbacks again: only the outermost class starts and stops. */
  private int nesting;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    if (process != null) {
      nesting++;
      return;
    }
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (nesting > 0) {
      nesting--;
      return;
    }
    stop();
  }

  /** Starts the server on a free loopback port and waits (at most 10 s) until it takes clients. */
  public void start() throws IOException, InterruptedException {
    port = freePort();
    Path target = Path.of(System.getProperty("java.io.tmpdir"));
    Path store = Files.createTempDirectory(target, "nats-js-");
    Path log = store.resolve("nats-server.log");
    process = new ProcessBuilder(BINARY, "-a", "127.0.0.1", "-p", Integer.toString(port), "-js", "-sd", store.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("nats-server exited with " + process.exitValue() + ": " + Files.readString(log));
      }
      if (answersInfo()) {
        return;
      }
      Thread.sleep(10);
    }
    stop();
    throw new IllegalStateException("nats-server did not take clients on port " + port + " within 10 s");
  }

  /** Closes the connections handed out and kills the server. */
  public void stop() {
    for (Connection c : connections) {
      try {
        c.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    connections.clear();
    if (process != null) {
      process.destroy();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  public String url() {
    return "nats://127.0.0.1:" + port;
  }

  /** A new connection reporting no responders at once; closed with the server. */
  public Connection connect() {
    return connect(b -> b);
  }

  /** A new connection with extra options; closed with the server. */
  public Connection connect(UnaryOperator<Options.Builder> options) {
    Options.Builder builder = new Options.Builder().server(url()).reportNoResponders()
        .connectionTimeout(Duration.ofSeconds(5)).maxReconnects(0).errorListener(new ErrorListener() {});
    try {
      Connection c = Nats.connect(options.apply(builder).build());
      connections.add(c);
      return c;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private boolean answersInfo() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      socket.setSoTimeout(500);
      String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
      return line != null && line.startsWith("INFO");
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
