package io.natsharness.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.natsharness.gateway.config.GatewayConfig;
import io.natsharness.gateway.cutover.CutoverMode;
import io.natsharness.gateway.support.Http;
import io.natsharness.harness.Backend;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.harness.NatsHarnessTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@NatsHarnessTest(redis = false, backend = Backend.EMBEDDED)
@DisplayName("GatewayCommand: the runnable main")
class GatewayCommandTest {

  @Test
  @DisplayName("command-line options override the configuration file")
  void optionsOverrideFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("gw.properties");
    Files.writeString(file, "listen.port=9000\nnats.url=nats://10.1.1.1:4222\nlimits.max-in-flight=7\n");
    GatewayCommand cmd = new GatewayCommand();
    GatewayCommand.commandLine(cmd).parseArgs("--config", file.toString(), "--port", "0",
        "--nats-url", "nats://127.0.0.1:4333", "--legacy-url", "http://127.0.0.1:9999", "--default-mode", "shadow");
    GatewayConfig c = cmd.resolvedConfig();
    assertThat(c.port()).isZero();
    assertThat(c.natsUrl()).isEqualTo("nats://127.0.0.1:4333");
    assertThat(c.maxInFlight()).isEqualTo(7);
    assertThat(c.legacyUrl()).contains(URI.create("http://127.0.0.1:9999"));
    assertThat(c.defaultMode()).isEqualTo(CutoverMode.shadow());
  }

  @Test
  @DisplayName("a bad configuration ends with exit code 2 and one clear line, no stack trace")
  void badConfig(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("gw.properties");
    Files.writeString(file, "limits.max-in-flight=lots\n");
    StringWriter err = new StringWriter();
    int code = GatewayCommand.commandLine(new GatewayCommand()).setErr(new PrintWriter(err))
        .execute("--config", file.toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString().trim()).isEqualTo(
        "nh-gateway: configuration key 'limits.max-in-flight': 'lots' is not an integer");
  }

  @Test
  @DisplayName("runs the gateway until stopped, serving /health")
  void runs(HarnessRuntimeInfo info, @TempDir Path dir) throws Exception {
    Path file = dir.resolve("gw.properties");
    Files.writeString(file, "listen.port=0\nrouter.sync=false\nnats.url=" + info.natsUrl() + "\n");
    GatewayCommand cmd = new GatewayCommand();
    CompletableFuture<Integer> run = CompletableFuture.supplyAsync(
        () -> GatewayCommand.commandLine(cmd).execute("--config", file.toString()));
    Gateway gateway = await().atMost(Duration.ofSeconds(10)).until(cmd::gateway, g -> g.isPresent()).orElseThrow();
    assertThat(new Http(gateway.uri("/")).get("/health").statusCode()).isEqualTo(200);
    cmd.stop();
    assertThat(run.get(10, java.util.concurrent.TimeUnit.SECONDS)).isZero();
  }
}
