package io.natsharness.services.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.catalog.ServiceInfo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ServiceLoader;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("ServiceClasses and the command line")
class ServiceClassesTest {

  private static ServiceInfo service(String name) {
    return ServiceCatalog.load().service(name).orElseThrow();
  }

  @Nested
  @DisplayName("the naming convention")
  class Convention {

    @Test
    @DisplayName("derives the class from the proto package and service name")
    void classNames() {
      assertThat(ServiceClasses.className(service("payment")))
          .isEqualTo("io.natsharness.services.util.payment.PaymentService");
      assertThat(ServiceClasses.className(service("ai_integration")))
          .isEqualTo("io.natsharness.services.ai.llm.AiIntegrationService");
      assertThat(ServiceClasses.className(service("body_broker_integration")))
          .isEqualTo("io.natsharness.services.game.bodybroker.BodyBrokerIntegrationService");
      assertThat(ServiceClasses.className(service("router")))
          .isEqualTo("io.natsharness.services.infra.router.RouterService");
    }

    @Test
    @DisplayName("selects all services or a list, in catalog order")
    void selects() {
      assertThat(ServiceClasses.select("ALL")).hasSize(22);
      assertThat(ServiceClasses.select(" router , auth,router ")).extracting(ServiceInfo::name)
          .containsExactly("auth", "router");
    }

    @Test
    @DisplayName("refuses an unknown name, listing the known ones")
    void unknown() {
      assertThatThrownBy(() -> ServiceClasses.select("router,nope"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("unknown service 'nope' (known: [ai_integration, model_management, ai_router,");
      assertThatThrownBy(() -> ServiceClasses.select(" , "))
          .hasMessage("no services selected: give 'all' or a comma list of service names");
    }
  }

  @Nested
  @DisplayName("the command line")
  class CommandLineTests {

    @Test
    @DisplayName("--help prints the flags and exits 0")
    void help() {
      StringWriter out = new StringWriter();
      int code = ReferenceHostCommand.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "--help");
      assertThat(code).isZero();
      assertThat(out.toString()).contains("--services", "--nats-url", "--redis-url", "--http-port", "--key-prefix");
    }

    @Test
    @DisplayName("an unknown service exits 1 with the reason")
    void unknownService() {
      StringWriter err = new StringWriter();
      int code = ReferenceHostCommand.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "--services", "nope");
      assertThat(code).isEqualTo(1);
      assertThat(err.toString()).contains("reference host failed: unknown service 'nope'");
    }

    @Test
    @DisplayName("a bad flag value exits 2")
    void badFlag() {
      StringWriter err = new StringWriter();
      int code = ReferenceHostCommand.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "--http-port", "x");
      assertThat(code).isEqualTo(2);
      assertThat(err.toString()).contains("Invalid value for option '--http-port'");
    }
  }

  @Nested
  @DisplayName("the implementation provider")
  class Provider {

    @Test
    @DisplayName("is found by ServiceLoader under the name 'reference'")
    void found() {
      assertThat(ServiceLoader.load(io.natsharness.sdk.spi.ImplementationProvider.class).stream()
          .map(p -> p.get().name())).contains("reference");
    }

    @Test
    @DisplayName("needs NATS_URL and REDIS_URL")
    void needsUrls() {
      assertThatThrownBy(() -> new ReferenceImplementationProvider().start(java.util.Map.of("REDIS_URL", "redis://127.0.0.1:1")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("the host needs a NATS URL: call withNatsUrl(..) or set NATS_URL");
      assertThatThrownBy(() -> ReferenceHost.builder().withRedisUrl("http://x"))
          .hasMessage("Redis URL must start with redis:// or rediss://: http://x");
    }
  }
}
