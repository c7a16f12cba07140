package io.natsharness.conformance.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@DisplayName("natsharness shadow")
class ShadowCommandTest {

  /** Runs the command as the runner does: usage and input errors exit 2 with a one-line message. */
  private record Run(int exitCode, String out, String err) {}

  private static Run shadow(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new ShadowCommand(new PrintStream(out, true, StandardCharsets.UTF_8)));
    cli.setErr(new PrintWriter(err, true));
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("error: " + e.getMessage());
      return 2;
    });
    int code = cli.execute(args);
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString());
  }

  @Nested
  @DisplayName("refuses bad input before starting anything")
  class BadInput {

    @Test
    @DisplayName("a missing traffic file")
    void missingTraffic(@TempDir Path dir) {
      Run r = shadow("--traffic", dir.resolve("nope.ndjson").toString());
      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(r.err()).isEqualTo("error: " + dir.resolve("nope.ndjson") + ": no such traffic file\n");
    }

    @Test
    @DisplayName("a configuration that does not fit the contract")
    void badConfig(@TempDir Path dir) throws Exception {
      Path config = dir.resolve("shadow.json");
      Files.writeString(config, "{\"thresholds\": {\"default\": 2}}");
      Run r = shadow("--config", config.toString());
      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(r.err()).isEqualTo("error: " + config + ": thresholds.default: a mismatch rate is a number in [0, 1], not 2\n");
    }

    @Test
    @DisplayName("a missing observations file")
    void missingObservations(@TempDir Path dir) {
      Run r = shadow("--observations", dir.resolve("nope.ndjson").toString());
      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(r.err()).isEqualTo("error: " + dir.resolve("nope.ndjson") + ": no such observations file\n");
    }

    @Test
    @DisplayName("observations together with sides to send to")
    void observationsAndSides(@TempDir Path dir) {
      Run r = shadow("--observations", dir.resolve("o.ndjson").toString(), "--primary", "http://127.0.0.1:1",
          "--traffic", dir.resolve("t.ndjson").toString());
      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(r.err()).isEqualTo("error: --observations reports on traffic the gateway already compared: "
          + "it takes no --primary, --traffic\n");
    }

    @Test
    @DisplayName("an unreachable side")
    void unreachable() {
      Run r = shadow("--primary", "http://127.0.0.1:1", "--candidate", "nats://127.0.0.1:1");
      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(r.err()).startsWith("error: cannot reach the HTTP side at http://127.0.0.1:1: ");
    }

    @Test
    @DisplayName("an unknown option")
    void unknownOption() {
      Run r = shadow("--rounds", "0");
      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(r.err()).isEqualTo("error: --rounds must be at least 1, not 0\n");
      assertThat(shadow("--frobnicate").exitCode()).isEqualTo(2);
    }
  }

  @Test
  @DisplayName("starts three reference deployments, compares, writes the reports and exits 0")
  void fullRun(@TempDir Path dir) throws Exception {
    Run r = shadow("--services", "payment,npc_behavior", "--rounds", "1", "--backend", "embedded",
        "--report-dir", dir.toString(), "--record", dir.resolve("traffic.ndjson").toString());
    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("target: primary HTTP http://127.0.0.1:", ", candidate NATS ")
        .contains("8 methods, ").contains("all within their thresholds");
    JsonNode json = new ObjectMapper().readTree(dir.resolve("shadow.json").toFile());
    assertThat(json.get("passed").asBoolean()).isTrue();
    assertThat(json.get("methods")).hasSize(8);
    assertThat(dir.resolve("shadow-comparison.html")).exists();
    assertThat(Files.readString(dir.resolve("shadow-junit.xml"))).contains("shadow.payment.charge");
    assertThat(Files.readAllLines(dir.resolve("traffic.ndjson"))).isNotEmpty();
  }
}
