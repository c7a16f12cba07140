package io.natsharness.conformance.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.natsharness.conformance.cli.LoadCommand;
import io.natsharness.harness.Backend;
import io.natsharness.harness.Implementation;
import io.natsharness.harness.NatsHarness;
import io.natsharness.harness.NatsHarnessExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code natsharness load} against the reference settings service: reports, and the exit code from the SLOs. */
@DisplayName("natsharness load")
class LoadCommandTest {

  private static NatsHarness env;

  @BeforeAll
  static void start() {
    env = NatsHarness.start(NatsHarnessExtension.builder().withBackend(Backend.EMBEDDED)
        .withImplementation(Implementation.provider("reference").services("settings")));
  }

  @AfterAll
  static void stop() {
    if (env != null) {
      env.close();
    }
  }

  /** The output, error text and exit code of one run. */
  record Run(int exitCode, String out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    CommandLine cli = new CommandLine(new LoadCommand(out));
    cli.setErr(new PrintWriter(err, true));
    // As NatsHarnessCli does: a message, not a stack trace, and exit code 2.
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("error: " + e.getMessage());
      return 2;
    });
    int code = cli.execute(args);
    return new Run(code, bytes.toString(StandardCharsets.UTF_8), err.toString());
  }

  private static String[] against(Path reports, String... more) {
    List<String> args = new ArrayList<>(List.of("--nats-url", env.info().natsUrl(),
        "--http-url", "http://127.0.0.1:" + env.implementationHttpPort().getAsInt(),
        "--method", "settings.get", "--rate", "200", "--warmup", "500ms", "--duration", "1s",
        "--slo-rate", "150", "--report-dir", reports.toString()));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  @Test
  @DisplayName("a run within its SLOs exits 0 and writes .hgrm files, JSON, HTML with charts and JUnit XML")
  void meetsItsSlo() throws Exception {
    Path reports = Path.of("target", "load-cli-test", "met");
    Run run = run(against(reports, "--slo-p99", "10s", "--slo-error-rate", "1%"));

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("4 results, 3 of 3 met their SLO");
    JsonNode json = new ObjectMapper().readTree(reports.resolve("load.json").toFile());
    assertThat(json.get("results")).hasSize(4);
    assertThat(json.get("results").findValuesAsText("transport")).containsExactly("nats", "gateway", "legacy", "raw");
    assertThat(json.get("payloads").get(0).get("requestJsonBytes").asDouble())
        .isGreaterThan(json.get("payloads").get(0).get("requestProtobufBytes").asDouble());
    try (Stream<Path> files = Files.list(reports.resolve("hgrm"))) {
      assertThat(files.filter(f -> f.toString().endsWith(".hgrm")).count()).isEqualTo(8);
    }
    assertThat(Files.readString(reports.resolve("load-latency.html"))).contains("<img alt=\"response time by percentile\" src=\"data:image/png;base64,");
    assertThat(Files.readString(reports.resolve("load-junit.xml"))).contains("load.svc.util.settings.v1.get.gateway.200rps");
  }

  @Test
  @DisplayName("a p99 over its threshold exits 1 and names the breach")
  void breachFails() {
    Run run = run(against(Path.of("target", "load-cli-test", "breach"), "--transports", "nats,raw", "--slo-p99", "1us"));

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.out()).contains("BREACHED: p99").contains("2 results, 0 of 1 met their SLO, 1 breached");
  }

  @Nested
  @DisplayName("bad input exits 2 with a message")
  class BadInput {

    @Test
    @DisplayName("an unknown transport")
    void unknownTransport() {
      Run run = run("--nats-url", "nats://127.0.0.1:1", "--transports", "nats,pigeon");

      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.err().strip()).isEqualTo("error: unknown transport 'pigeon'; known: nats, gateway, legacy, raw");
    }

    @Test
    @DisplayName("a method the catalog does not have")
    void unknownMethod() {
      Run run = run("--nats-url", "nats://127.0.0.1:1", "--method", "settings.fly");

      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.err().strip())
          .isEqualTo("error: no catalog method 'settings.fly': give a subject (svc.util.settings.v1.get) or service.method (settings.get)");
    }

    @Test
    @DisplayName("a duration that is no duration")
    void badDuration() {
      Run run = run("--duration", "soon");

      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.err()).contains("'soon' is not a duration like 500ms, 10s, 2m or PT10S");
    }
  }
}
