package io.natsharness.conformance.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.natsharness.conformance.load.transport.TransportKind;
import io.natsharness.proto.catalog.ServiceCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("SloConfig: objectives from configuration")
class SloConfigTest {

  private static final ServiceCatalog CATALOG = ServiceCatalog.load();
  private static final String INFER = "svc.ai.llm.v1.infer";

  @Test
  @DisplayName("the defaults are the seed's: p99 under 5 ms at 10 000 req/s, at most 0.1% errors")
  void seedDefaults() {
    Slo slo = SloConfig.defaults().forResult(INFER, TransportKind.NATS);

    assertThat(slo.latencyMicros()).isEqualTo(Map.of("p99", 5_000L));
    assertThat(slo.rate()).isEqualTo(10_000);
    assertThat(slo.maxErrorRate()).isEqualTo(0.001);
  }

  @Test
  @DisplayName("a file overrides the defaults, then per method, then per method and transport")
  void scopes(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("slo.properties"), String.join("\n",
        "p99=4ms", "rate=2000", INFER + ".p99=20ms", INFER + ".legacy.p99=40ms", INFER + ".legacy.error-rate=1%"));
    SloConfig config = SloConfig.read(file, CATALOG);

    assertThat(config.forResult("svc.util.settings.v1.get", TransportKind.NATS).describe())
        .isEqualTo("p99 ≤ 4 ms at 2000 req/s, errors ≤ 0.1%");
    assertThat(config.forResult(INFER, TransportKind.NATS).describe()).isEqualTo("p99 ≤ 20 ms at 2000 req/s, errors ≤ 0.1%");
    assertThat(config.forResult(INFER, TransportKind.LEGACY).describe()).isEqualTo("p99 ≤ 40 ms at 2000 req/s, errors ≤ 1%");
  }

  @Nested
  @DisplayName("refuses")
  class Refuses {

    @Test
    @DisplayName("a key that is no metric")
    void unknownMetric() {
      assertThatThrownBy(() -> SloConfig.defaults().with("p98", "5ms", CATALOG))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("unknown SLO key 'p98': it must end in one of [error-rate, max, p50, p90, p99, p999, rate]");
    }

    @Test
    @DisplayName("a key that names no catalog method")
    void unknownMethod() {
      assertThatThrownBy(() -> SloConfig.defaults().with("svc.nope.v1.get.p99", "5ms", CATALOG))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("SLO key 'svc.nope.v1.get.p99' names no catalog method: 'svc.nope.v1.get'");
    }

    @Test
    @DisplayName("an unknown transport after a method")
    void unknownTransport() {
      assertThatThrownBy(() -> SloConfig.defaults().with(INFER + ".pigeon.p99", "5ms", CATALOG))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("SLO key 'svc.ai.llm.v1.infer.pigeon.p99': unknown transport 'pigeon'; known: nats, gateway, legacy, raw");
    }

    @Test
    @DisplayName("a latency that is no duration")
    void badDuration() {
      assertThatThrownBy(() -> SloConfig.defaults().with("p99", "fast", CATALOG))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("SLO key 'p99': 'fast' is not a duration like 5ms, 800us or 1.5s");
    }
  }
}
