package io.natsharness.conformance.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.natsharness.proto.catalog.ServiceCatalog;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ShadowConfig")
class ShadowConfigTest {

  private static final ServiceCatalog CATALOG = ServiceCatalog.load();

  @Test
  @DisplayName("reads rules and thresholds")
  void reads() {
    ShadowConfig c = ShadowConfig.parse("""
        {"rules": {"methods": {"svc.infra.auth.v1.issue_token": {"ignore": ["token"]}}},
         "thresholds": {"default": 0.01, "methods": {"svc.util.time.v1.now": 0.2}}}""", CATALOG);
    assertThat(c.rules().methods()).containsExactly("svc.infra.auth.v1.issue_token");
    assertThat(c.thresholds().of("svc.util.time.v1.now")).isEqualTo(0.2);
    assertThat(c.thresholds().of("svc.util.payment.v1.charge")).isEqualTo(0.01);
  }

  @Test
  @DisplayName("defaults: the contract's rules, nothing tolerated")
  void defaults() {
    assertThat(ShadowConfig.defaults().thresholds().of("svc.util.time.v1.now")).isZero();
    assertThat(ShadowConfig.defaults().rules().methods()).containsExactly("svc.util.time.v1.now",
        "svc.util.time.v1.pause", "svc.util.time.v1.resume", "svc.util.time.v1.set_scale");
    assertThat(ShadowConfig.defaults().rules().rules("svc.util.payment.v1.charge").isEmpty()).isTrue();
    assertThat(ShadowConfig.parse("{}", CATALOG).rules().defaults().isEmpty()).isTrue();
  }

  @Test
  @DisplayName("a user's file is read over the contract's rules")
  void overContract(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path file = dir.resolve("shadow.json");
    java.nio.file.Files.writeString(file, "{\"rules\": {\"methods\": {\"svc.util.time.v1.now\": {\"ignore\": [\"real_time\"]}}}}");
    ShadowConfig c = ShadowConfig.readOverContract(file, CATALOG);
    assertThat(c.rules().rules("svc.util.time.v1.now").patterns()).containsExactly("minute", "real_time", "game_time_ms");
  }

  @Test
  @DisplayName("refuses what it cannot use, saying where")
  void refuses() {
    assertThatThrownBy(() -> ShadowConfig.parse("{\"rule\": {}}", CATALOG))
        .hasMessage("unknown key \"rule\" (expected rules, thresholds)");
    assertThatThrownBy(() -> ShadowConfig.parse("{\"thresholds\": {\"default\": 5}}", CATALOG))
        .hasMessage("thresholds.default: a mismatch rate is a number in [0, 1], not 5");
    assertThatThrownBy(() -> ShadowConfig.parse("{\"thresholds\": {\"methods\": {\"svc.x\": 0.1}}}", CATALOG))
        .hasMessage("thresholds.methods.\"svc.x\": no method of the catalog has this subject");
    assertThatThrownBy(() -> ShadowConfig.parse("{\"rules\": {\"methods\": {\"svc.util.payment.v1.charge\": "
        + "{\"ignore\": [\"nope\"]}}}}", CATALOG)).hasMessage("comparison rules do not fit the contract:\n"
        + "  - methods.\"svc.util.payment.v1.charge\": 'nope' matches no field of util.payment.v1.Transaction");
    assertThatThrownBy(() -> ShadowConfig.parse("[1]", CATALOG)).hasMessage("the shadow configuration must be a JSON object");
  }
}
