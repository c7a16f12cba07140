package io.natsharness.services.host;

import io.natsharness.sdk.spi.ImplementationProvider;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The in-process implementation named {@code reference}: starts a {@link ReferenceHost} from the
 * environment map the harness hands over (NATS_URL and REDIS_URL required; HTTP_PORT 0 or absent
 * picks a free port; NH_KEY_PREFIX, NH_SERVICES, credentials and TLS as documented there).
 * Registered in {@code META-INF/services}.
 *
 * <pre>{@code
 * ImplementationProvider reference = ServiceLoader.load(ImplementationProvider.class).stream()
 *     .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("reference")).findFirst().orElseThrow();
 * try (ImplementationProvider.Running running = reference.start(Map.of(
 *     "NATS_URL", natsUrl, "REDIS_URL", redisUrl, "NH_SERVICES", "payment"))) { ... }
 * }</pre>
 */
public final class ReferenceImplementationProvider implements ImplementationProvider {

  /** The provider's name. */
  public static final String NAME = "reference";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Running start(Map<String, String> environment) {
    ReferenceHost host = ReferenceHost.builder().withEnvironment(environment).start();
    return new Running() {
      @Override
      public List<String> services() {
        return host.services();
      }

      @Override
      public OptionalInt httpPort() {
        return OptionalInt.of(host.httpPort());
      }

      @Override
      public void close() {
        host.close();
      }
    };
  }
}
