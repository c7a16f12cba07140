package io.natsharness.conformance.cli;

import io.natsharness.conformance.runner.CheckSelection;
import io.natsharness.conformance.runner.KnownFailures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/** Which services and checks a suite runs, and which failures are known. */
public final class SelectionOptions {

  @Option(names = "--services", split = ",", paramLabel = "NAME",
      description = "Catalog services to test, comma separated (default: all).")
  List<String> services = new ArrayList<>();

  @Option(names = "--run", paramLabel = "GLOB",
      description = "Run only checks whose id matches (repeatable; * matches anything), e.g. 'wire.payment.*'.")
  List<String> run = new ArrayList<>();

  @Option(names = "--skip", paramLabel = "GLOB", description = "Skip checks whose id matches (repeatable).")
  List<String> skip = new ArrayList<>();

  @Option(names = "--known-failures", paramLabel = "FILE",
      description = "Checks known to fail, one id or glob a line, '# reason' after it. A listed check that passes fails the run.")
  Path knownFailures;

  public Set<String> services() {
    Set<String> selected = new LinkedHashSet<>(services);
    selected.remove("all");
    return selected;
  }

  public CheckSelection selection() {
    return CheckSelection.of(run, skip);
  }

  public KnownFailures knownFailures() throws IOException {
    return knownFailures == null ? KnownFailures.none() : KnownFailures.read(knownFailures);
  }
}
