package io.natsharness.conformance.mutants;

import io.natsharness.sdk.service.NatsService;
import io.natsharness.sdk.service.ServiceHost;
import io.natsharness.sdk.spi.ImplementationProvider;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The reference services on the SDK's own host (jnats' Service API, the wire of WIRE.md done
 * right), with one {@link HandlerFault} applied to one service's handlers. With
 * {@link HandlerFault#NONE} it is the control: the reference as the mutants' host serves it.
 *
 * <pre>{@code
 * Implementation.provider(new SdkHost("idempotency-key-ignored", "payment", HandlerFaults.idempotencyKeyIgnored()))
 *     .services("payment");
 * }</pre>
 *
 * @param name the implementation's name, for reports
 * @param mutated the catalog service whose handlers get the fault
 * @param fault what is wrong with them
 */
record SdkHost(String name, String mutated, HandlerFault fault) implements ImplementationProvider {

  @Override
  public Running start(Map<String, String> environment) throws Exception {
    ReferenceServices services = ReferenceServices.create(environment);
    ServiceHost host;
    try {
      ServiceHost.Builder builder = ServiceHost.builder().connection(services.nats());
      for (NatsService service : services.services()) {
        builder.add(service.name().equals(mutated) ? fault.applyTo(service) : service);
      }
      host = builder.build().start();
      services.startBackgroundWork();
    } catch (RuntimeException e) {
      services.close();
      throw e;
    }
    return new Running() {
      @Override
      public List<String> services() {
        return services.names();
      }

      @Override
      public OptionalInt httpPort() {
        return OptionalInt.empty();
      }

      @Override
      public void close() {
        host.close();
        services.close();
      }
    };
  }
}
