package io.natsharness.conformance.shadow.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.natsharness.gateway.traffic.TrafficReader;
import io.natsharness.gateway.traffic.TrafficRecord;
import io.natsharness.gateway.traffic.TrafficWriter;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.common.v1.Money;
import io.natsharness.proto.util.payment.v1.ChargeRequest;
import io.natsharness.proto.util.payment.v1.GetBalanceRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("traffic files")
class TrafficFileTest {

  private static final ServiceCatalog CATALOG = ServiceCatalog.load();
  private static final Instant TS = Instant.parse("2026-11-28T10:00:00.123Z");

  @Nested
  @DisplayName("writing and reading")
  class WritingAndReading {

    @Test
    @DisplayName("records survive a round trip, line by line, in order")
    void roundTrip(@TempDir Path dir) throws IOException {
      Path file = dir.resolve("t.ndjson");
      TrafficRecord a = new TrafficRecord(TS, "req-1", "POST", "/v1/util/payment/wallets", "",
          Map.of("Content-Type", "application/json"), "{\"ownerId\":\"ann \\\"the\\\" bold\\n\"}");
      TrafficRecord b = new TrafficRecord(TS.plusMillis(5), "req-2", "GET", "/v1/util/payment/wallets/wal%2F1/balance",
          "x=1&y=%20", Map.of(), "");
      try (TrafficWriter w = TrafficWriter.create(file, false)) {
        w.write(a);
        w.write(b);
      }
      assertThat(Files.readAllLines(file)).hasSize(2);
      assertThat(TrafficReader.read(file)).containsExactly(a, b);
    }

    @Test
    @DisplayName("a line is one JSON object with the documented keys")
    void lineFormat() {
      TrafficRecord r = new TrafficRecord(TS, "req-1", "GET", "/v1/x", "a=1",
          Map.of("idempotency-key", "k1", "traceparent", "00-abc", "Nh-Request-Id", "req-1"), "");
      assertThat(TrafficWriter.line(r, false)).isEqualTo("{\"v\":1,\"ts\":\"2026-11-28T10:00:00.123Z\",\"id\":\"req-1\","
          + "\"method\":\"GET\",\"path\":\"/v1/x\",\"query\":\"a=1\",\"headers\":{\"Idempotency-Key\":\"k1\","
          + "\"Nh-Request-Id\":\"req-1\"},\"body\":\"\"}");
    }

    @Test
    @DisplayName("Authorization is written only when asked for")
    void authorization() {
      TrafficRecord r = new TrafficRecord(TS, "req-1", "GET", "/v1/x", "", Map.of("Authorization", "Bearer t"), "");
      assertThat(TrafficWriter.line(r, false)).contains("\"headers\":{}");
      assertThat(TrafficWriter.line(r, true)).contains("\"headers\":{\"Authorization\":\"Bearer t\"}");
    }

    @Test
    @DisplayName("blank lines are skipped and unknown keys ignored")
    void lenientWhereSafe(@TempDir Path dir) throws IOException {
      Path file = dir.resolve("t.ndjson");
      Files.writeString(file, "\n{\"v\":1,\"ts\":\"2026-11-28T10:00:00Z\",\"id\":\"r\",\"method\":\"GET\",\"path\":\"/v1/x\","
          + "\"future\":true}\n\n");
      assertThat(TrafficReader.read(file)).containsExactly(
          new TrafficRecord(Instant.parse("2026-11-28T10:00:00Z"), "r", "GET", "/v1/x", "", Map.of(), ""));
    }
  }

  @Nested
  @DisplayName("refusing damaged files")
  class Refusing {

    private void assertRefused(Path dir, String line, String message) throws IOException {
      Path file = dir.resolve("bad.ndjson");
      Files.writeString(file, "{\"v\":1,\"ts\":\"2026-11-28T10:00:00Z\",\"id\":\"r\",\"method\":\"GET\",\"path\":\"/v1/x\"}\n"
          + line + "\n");
      assertThatThrownBy(() -> TrafficReader.read(file)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage(file + ":2: " + message);
    }

    @Test
    @DisplayName("a line that is not JSON")
    void notJson(@TempDir Path dir) throws IOException {
      Path file = dir.resolve("bad.ndjson");
      Files.writeString(file, "{\"v\":1,\n");
      assertThatThrownBy(() -> TrafficReader.read(file)).hasMessageStartingWith(file + ":1: not JSON: ");
    }

    @Test
    @DisplayName("another format version")
    void version(@TempDir Path dir) throws IOException {
      assertRefused(dir, "{\"v\":2}", "unsupported record version 2; this reader knows \"v\":1");
    }

    @Test
    @DisplayName("a missing or malformed field")
    void fields(@TempDir Path dir) throws IOException {
      assertRefused(dir, "{\"v\":1,\"method\":\"GET\",\"path\":\"/x\",\"id\":\"r\"}", "missing \"ts\"");
      assertRefused(dir, "{\"v\":1,\"ts\":\"yesterday\",\"method\":\"GET\",\"path\":\"/x\",\"id\":\"r\"}",
          "\"ts\" must be an RFC 3339 UTC timestamp, not \"yesterday\"");
      assertRefused(dir, "{\"v\":1,\"ts\":\"2026-11-28T10:00:00Z\",\"method\":\"FETCH\",\"path\":\"/x\",\"id\":\"r\"}",
          "\"method\" must be one of " + TrafficReader.VERBS + ", not \"FETCH\"");
      assertRefused(dir, "{\"v\":1,\"ts\":\"2026-11-28T10:00:00Z\",\"method\":\"GET\",\"path\":\"x\",\"id\":\"r\"}",
          "\"path\" must start with '/', not \"x\"");
      assertRefused(dir, "{\"v\":1,\"ts\":\"2026-11-28T10:00:00Z\",\"method\":\"GET\",\"path\":\"/x\",\"id\":\"r\","
          + "\"headers\":{\"a\":1}}", "header \"a\" must be a string");
    }

    @Test
    @DisplayName("a file that does not exist")
    void missingFile(@TempDir Path dir) {
      assertThatThrownBy(() -> TrafficReader.read(dir.resolve("nope.ndjson")))
          .isInstanceOf(java.nio.file.NoSuchFileException.class).hasMessageContaining("no such traffic file");
    }
  }

  @Nested
  @DisplayName("replay plans")
  class Plans {

    @Test
    @DisplayName("records are matched to their methods and decoded as the legacy side would")
    void decoded() {
      TrafficRecord get = new TrafficRecord(TS, "r1", "GET", "/v1/util/payment/wallets/wal-1/balance", "", Map.of(), "");
      TrafficRecord charge = HttpRequestEncoder.encode(
          CATALOG.method("svc.util.payment.v1.charge").orElseThrow(), ChargeRequest.newBuilder().setWalletId("wal-1")
              .setAmount(Money.newBuilder().setCurrency("GEM").setMinorUnits(5)).build(), Map.of("Idempotency-Key", "k"))
          .record(TS, "r2");
      Replay replay = Replay.plan(List.of(get, charge), CATALOG);
      assertThat(replay.warnings()).isEmpty();
      assertThat(replay.items()).extracting(i -> i.method().subject())
          .containsExactly("svc.util.payment.v1.get_balance", "svc.util.payment.v1.charge");
      assertThat(replay.items().get(0).request()).contains(GetBalanceRequest.newBuilder().setWalletId("wal-1").build());
      assertThat(replay.items().get(1).record().headers()).containsEntry("Idempotency-Key", "k");
    }

    @Test
    @DisplayName("a record the transcoder refuses keeps the refusal as the NATS side's answer")
    void refused() {
      TrafficRecord bad = new TrafficRecord(TS, "r1", "POST", "/v1/util/payment/wallets", "", Map.of(), "{\"owner\":1}");
      Replay.Item item = Replay.plan(List.of(bad), CATALOG).items().get(0);
      assertThat(item.request()).isEmpty();
      assertThat(item.refused()).hasValueSatisfying(e -> assertThat(e.code()).isEqualTo(com.google.rpc.Code.INVALID_ARGUMENT));
    }

    @Test
    @DisplayName("a record of no route is left out with a warning")
    void noRoute() {
      TrafficRecord stray = new TrafficRecord(TS, "r1", "GET", "/v1/nowhere", "", Map.of(), "");
      Replay replay = Replay.plan(List.of(stray), CATALOG);
      assertThat(replay.items()).isEmpty();
      assertThat(replay.warnings()).containsExactly(
          "record 1 (GET /v1/nowhere): no route of the catalog matches; left out");
    }
  }
}
