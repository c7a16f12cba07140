package io.natsharness.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.natsharness.gateway.cutover.CutoverMode;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("ConfigFile")
class ConfigFileTest {

  private static GatewayConfig parse(String text) {
    Properties p = new Properties();
    try {
      p.load(new StringReader(text));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return ConfigFile.parse(p);
  }

  @Nested
  @DisplayName("reads")
  class Reads {

    @Test
    @DisplayName("every top-level key")
    void topLevel() {
      GatewayConfig c = parse("""
          listen.host=0.0.0.0
          listen.port=9090
          nats.url=nats://10.0.0.1:4222
          limits.max-body-bytes=2048
          limits.max-in-flight=10
          limits.max-in-flight-per-route=3
          limits.retry-after=2s
          timeouts.request-parse=500ms
          timeouts.idle=PT1M
          timeouts.body-read=3s
          timeouts.deadline=4s
          timeouts.stream-deadline=2m
          timeouts.stream-idle=7s
          timeouts.sse-keepalive=1s
          auth.default-scope=game:read
          auth.cache-ttl=5s
          auth.cache-max-entries=7
          auth.timeout=1s
          legacy.url=http://127.0.0.1:9000
          legacy.service.payment.url=http://127.0.0.1:9001
          legacy.timeout=6s
          router.sync=false
          router.refresh-interval=1h
          cutover.default-mode=http
          cutover.player-key-header=X-Player
          shadow.max-in-flight=5
          shadow.record-file=target/shadow/traffic.ndjson
          shadow.observations-file=target/shadow/observations.ndjson
          """);
      assertThat(c.host()).isEqualTo("0.0.0.0");
      assertThat(c.port()).isEqualTo(9090);
      assertThat(c.natsUrl()).isEqualTo("nats://10.0.0.1:4222");
      assertThat(c.maxBodyBytes()).isEqualTo(2048);
      assertThat(c.maxInFlight()).isEqualTo(10);
      assertThat(c.maxInFlightPerRoute()).isEqualTo(3);
      assertThat(c.retryAfter()).isEqualTo(Duration.ofSeconds(2));
      assertThat(c.requestParseTimeout()).isEqualTo(Duration.ofMillis(500));
      assertThat(c.idleTimeout()).isEqualTo(Duration.ofMinutes(1));
      assertThat(c.bodyReadTimeout()).isEqualTo(Duration.ofSeconds(3));
      assertThat(c.defaultDeadline()).isEqualTo(Duration.ofSeconds(4));
      assertThat(c.streamDeadline()).isEqualTo(Duration.ofMinutes(2));
      assertThat(c.streamIdleTimeout()).isEqualTo(Duration.ofSeconds(7));
      assertThat(c.sseKeepAlive()).isEqualTo(Duration.ofSeconds(1));
      assertThat(c.defaultScope()).contains("game:read");
      assertThat(c.authCacheTtl()).isEqualTo(Duration.ofSeconds(5));
      assertThat(c.authCacheMaxEntries()).isEqualTo(7);
      assertThat(c.authTimeout()).isEqualTo(Duration.ofSeconds(1));
      assertThat(c.legacyUrlFor("payment")).contains(URI.create("http://127.0.0.1:9001"));
      assertThat(c.legacyUrlFor("auth")).contains(URI.create("http://127.0.0.1:9000"));
      assertThat(c.legacyTimeout()).isEqualTo(Duration.ofSeconds(6));
      assertThat(c.routerSync()).isFalse();
      assertThat(c.routerRefreshInterval()).isEqualTo(Duration.ofHours(1));
      assertThat(c.defaultMode()).isEqualTo(CutoverMode.http());
      assertThat(c.playerKeyHeader()).isEqualTo("X-Player");
      assertThat(c.shadowMaxInFlight()).isEqualTo(5);
      assertThat(c.shadowRecordFile()).contains(java.nio.file.Path.of("target/shadow/traffic.ndjson"));
      assertThat(c.shadowObservationsFile()).contains(java.nio.file.Path.of("target/shadow/observations.ndjson"));
    }

    @Test
    @DisplayName("per-route settings keyed by subject")
    void routes() {
      GatewayConfig c = parse("""
          route.svc.util.payment.v1.charge.mode=CANARY
          route.svc.util.payment.v1.charge.canary-percent=15
          route.svc.util.payment.v1.charge.deadline=750ms
          route.svc.util.payment.v1.charge.scope=util.payment:write
          route.svc.util.payment.v1.charge.max-in-flight=4
          route.svc.util.payment.v1.charge.shadow-ignore=meta.created_at, transaction_id
          route.svc.infra.auth.v1.issue_token.scope=
          """);
      assertThat(c.route("svc.util.payment.v1.charge")).isEqualTo(new RouteSettings(
          Optional.of(CutoverMode.canary(15)), Optional.of(Duration.ofMillis(750)), Optional.of("util.payment:write"),
          OptionalInt.of(4), Set.of("meta.created_at", "transaction_id")));
      assertThat(c.route("svc.infra.auth.v1.issue_token").scope()).contains("");
      assertThat(c.route("svc.util.time.v1.now")).isEqualTo(RouteSettings.none());
    }

    @Test
    @DisplayName("a file from disk")
    void file(@TempDir Path dir) throws IOException {
      Path file = dir.resolve("gateway.properties");
      Files.writeString(file, "listen.port=0\nroute.svc.util.time.v1.now.mode=NATS\n");
      GatewayConfig c = ConfigFile.load(file);
      assertThat(c.port()).isZero();
      assertThat(c.route("svc.util.time.v1.now").mode()).contains(CutoverMode.nats());
    }
  }

  @Nested
  @DisplayName("refuses")
  class Refuses {

    @Test
    @DisplayName("an unknown key")
    void unknownKey() {
      assertThatThrownBy(() -> parse("limits.max-inflight=3"))
          .hasMessage("configuration key 'limits.max-inflight': unknown key (see gateway/README.md for the keys)");
    }

    @Test
    @DisplayName("a malformed duration")
    void badDuration() {
      assertThatThrownBy(() -> parse("timeouts.deadline=5 seconds"))
          .hasMessage("configuration key 'timeouts.deadline': '5 seconds' is not a duration (e.g. PT5S, 500ms, 5s, 2m, 1h)");
    }

    @Test
    @DisplayName("a number that is not one")
    void badNumber() {
      assertThatThrownBy(() -> parse("limits.max-body-bytes=1MB"))
          .hasMessage("configuration key 'limits.max-body-bytes': '1MB' is not an integer");
    }

    @Test
    @DisplayName("an unknown mode")
    void badMode() {
      assertThatThrownBy(() -> parse("route.svc.util.time.v1.now.mode=GRPC"))
          .hasMessage("configuration of route svc.util.time.v1.now: unknown route mode 'GRPC' (expected HTTP, SHADOW, CANARY or NATS)");
    }

    @Test
    @DisplayName("a canary percent outside [0, 100]")
    void badPercent() {
      assertThatThrownBy(() -> parse("route.svc.util.time.v1.now.mode=CANARY\nroute.svc.util.time.v1.now.canary-percent=101"))
          .hasMessage("configuration of route svc.util.time.v1.now: canary percent must be in [0, 100], not 101");
    }

    @Test
    @DisplayName("a canary percent without CANARY")
    void percentWithoutCanary() {
      assertThatThrownBy(() -> parse("route.svc.util.time.v1.now.canary-percent=10"))
          .hasMessage("configuration of route svc.util.time.v1.now: canary-percent needs mode=CANARY");
    }

    @Test
    @DisplayName("a legacy URL that is not http(s)")
    void badUrl() {
      assertThatThrownBy(() -> parse("legacy.url=ftp://host/x"))
          .hasMessage("configuration key 'legacy.url': legacy url must be an http(s) URL with a host, not ftp://host/x");
    }

    @Test
    @DisplayName("a port out of range")
    void badPort() {
      assertThatThrownBy(() -> parse("listen.port=70000"))
          .hasMessage("configuration key 'listen.port': port must be in [0, 65535], not 70000");
    }
  }
}
