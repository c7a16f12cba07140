package io.natsharness.conformance.cli;

import io.natsharness.conformance.target.ExternalTarget;
import io.natsharness.conformance.target.HarnessTarget;
import io.natsharness.conformance.target.Target;
import io.natsharness.harness.Backend;
import io.natsharness.harness.Implementation;
import java.io.PrintStream;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * Which implementation a suite tests: in-process (the reference services by default), a command in
 * any language, a container image, or an external deployment.
 */
public final class TargetOptions {

  static final class Kind {
    @Option(names = "--impl", paramLabel = "NAME",
        description = "An in-process implementation found with ServiceLoader (default: reference).")
    String provider;

    @Option(names = "--command", paramLabel = "CMD", arity = "1..*",
        description = "A command in any language; it gets NATS_URL, REDIS_URL, HTTP_PORT in its environment.")
    List<String> command;

    @Option(names = "--image", paramLabel = "IMAGE", description = "A container image of the implementation.")
    String image;

    @Option(names = "--nats-url", paramLabel = "URL", description = "An implementation already running behind this NATS.")
    String natsUrl;
  }

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Kind kind = new Kind();

  @Option(names = "--http-url", paramLabel = "URL",
      description = "Base URL of the implementation's legacy HTTP side (with --nats-url or --command).")
  URI httpUrl;

  @Option(names = "--backend", paramLabel = "BACKEND", defaultValue = "auto",
      description = "Where NATS and Redis come from for --impl/--command/--image: auto, embedded, containers (default: ${DEFAULT-VALUE}).")
  String backend;

  /** Starts (or connects to) the implementation; closing the target stops what was started. */
  public Target open(Set<String> services, PrintStream out) throws Exception {
    if (kind != null && kind.natsUrl != null) {
      return ExternalTarget.connect(kind.natsUrl, Optional.ofNullable(httpUrl));
    }
    Implementation implementation;
    if (kind != null && kind.command != null) {
      implementation = Implementation.command(kind.command.toArray(String[]::new));
    } else if (kind != null && kind.image != null) {
      implementation = Implementation.image(kind.image);
    } else {
      implementation = Implementation.provider(kind != null && kind.provider != null ? kind.provider : "reference");
    }
    if (!services.isEmpty()) {
      implementation = implementation.services(services.toArray(String[]::new));
    }
    Backend chosen = Backend.valueOf(backend.toUpperCase(java.util.Locale.ROOT));
    return HarnessTarget.start(chosen, implementation, Optional.ofNullable(httpUrl), out);
  }
}
