package io.natsharness.sdk.spi;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * An implementation of the services that can be started in the same JVM, found with
 * {@link java.util.ServiceLoader}. The harness and the suites start it with the same environment a
 * command-line implementation gets.
 *
 * <p>Environment keys: {@code NATS_URL}, {@code REDIS_URL}, {@code HTTP_PORT} (0 = pick a free
 * one); optionally {@code NH_KEY_PREFIX} (Redis key prefix for isolation), {@code NH_SERVICES}
 * ({@code all} or a comma list of catalog service names), {@code NATS_USER}/{@code NATS_PASSWORD},
 * {@code NATS_TOKEN}, {@code NATS_NKEY_SEED}, {@code NATS_CA_FILE}, {@code NATS_CERT_FILE}/
 * {@code NATS_KEY_FILE} (TLS), {@code REDIS_USER}/{@code REDIS_PASSWORD}.
 *
 * <pre>{@code
 * for (ImplementationProvider p : ServiceLoader.load(ImplementationProvider.class)) {
 *   if (p.name().equals("reference")) {
 *     try (ImplementationProvider.Running running = p.start(Map.of(
 *         "NATS_URL", natsUrl, "REDIS_URL", redisUrl, "HTTP_PORT", "0"))) {
 *       running.services();  // ["ai_integration", ...]
 *       running.httpPort();  // OptionalInt[43117]
 *     }
 *   }
 * }
 * }</pre>
 *
 * <p>Register an implementation in
 * {@code META-INF/services/io.natsharness.sdk.spi.ImplementationProvider}.
 */
public interface ImplementationProvider {

  /** Environment key: the NATS server URL(s), comma separated. */
  String NATS_URL = "NATS_URL";
  /** Environment key: the Redis URL. */
  String REDIS_URL = "REDIS_URL";
  /** Environment key: the legacy HTTP port, 0 = pick a free one. */
  String HTTP_PORT = "HTTP_PORT";
  /** Environment key: the Redis key prefix for isolation. */
  String NH_KEY_PREFIX = "NH_KEY_PREFIX";
  /** Environment key: {@code all} or a comma list of catalog service names. */
  String NH_SERVICES = "NH_SERVICES";
  String NATS_USER = "NATS_USER";
  String NATS_PASSWORD = "NATS_PASSWORD";
  String NATS_TOKEN = "NATS_TOKEN";
  String NATS_NKEY_SEED = "NATS_NKEY_SEED";
  String NATS_CA_FILE = "NATS_CA_FILE";
  String NATS_CERT_FILE = "NATS_CERT_FILE";
  String NATS_KEY_FILE = "NATS_KEY_FILE";
  String REDIS_USER = "REDIS_USER";
  String REDIS_PASSWORD = "REDIS_PASSWORD";

  /** The implementation's name, e.g. {@code reference}. */
  String name();

  /**
   * Starts the implementation and returns once every service is registered and answering.
   *
   * @param environment the variables described in the class comment
   * @throws Exception when it cannot start; the message says why
   */
  Running start(Map<String, String> environment) throws Exception;

  /** A started implementation; {@link #close()} stops it and releases its connections. */
  interface Running extends AutoCloseable {

    /** Catalog names of the services it runs. */
    List<String> services();

    /** The port of its legacy HTTP side, if it serves one. */
    OptionalInt httpPort();
  }
}
