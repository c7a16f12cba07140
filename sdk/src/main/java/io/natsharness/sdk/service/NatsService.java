package io.natsharness.sdk.service;

/**
 * A service implementation: it names its catalog service and binds a handler to every method.
 *
 * <pre>{@code
 * public final class PaymentService implements NatsService {
 *   public String name() { return "payment"; }
 *   public void bind(Endpoints endpoints) {
 *     endpoints.unary("charge", this::charge)
 *              .unary("get_balance", this::getBalance);
 *     // ... every method of the catalog's "payment" service
 *   }
 * }
 * }</pre>
 */
public interface NatsService {

  /** The catalog name of the service, e.g. {@code payment}. */
  String name();

  /** Binds every method of the service exactly once. */
  void bind(Endpoints endpoints);
}
