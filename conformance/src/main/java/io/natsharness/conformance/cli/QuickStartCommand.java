package io.natsharness.conformance.cli;

import io.natsharness.harness.Backend;
import io.natsharness.harness.Implementation;
import io.natsharness.harness.NatsHarness;
import io.natsharness.harness.NatsHarnessExtension;
import io.natsharness.services.examples.QuickStart;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code natsharness quickstart}: the seed document's quick start, end to end. Starts NATS with
 * JetStream and Redis on a harness backend, the reference services in-process, and calls
 * {@code svc.ai.llm.v1.infer} as the seed's Python example did.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
    description = "Starts the reference services on a harness backend and runs the seed's quick start against them.")
public final class QuickStartCommand implements Callable<Integer> {

  @Option(names = "--backend", paramLabel = "BACKEND", defaultValue = "embedded",
      description = "Where NATS and Redis come from: auto, embedded, containers (default: ${DEFAULT-VALUE}).")
  String backend;

  private final PrintStream out;

  public QuickStartCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() {
    Backend chosen = Backend.valueOf(backend.toUpperCase(Locale.ROOT));
    try (NatsHarness env = NatsHarness.start(NatsHarnessExtension.builder()
        .withBackend(chosen)
        .withImplementation(Implementation.provider("reference")))) {
      out.printf("environment: %s backend (%s), %d services ready in %d ms; NATS at %s%n",
          env.info().backend().name().toLowerCase(Locale.ROOT), env.info().backendReason(),
          env.implementationServices().size(), env.startup().toMillis(), env.info().natsUrl());
      return QuickStart.run(env.info().natsUrl(), out, out);
    }
  }
}
