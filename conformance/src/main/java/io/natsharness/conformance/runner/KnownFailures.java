package io.natsharness.conformance.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The checks an implementation is known to fail, with the reason. A listed check that fails is
 * reported as a known failure and does not fail the run; a listed check that passes fails the run,
 * so the list is kept honest.
 *
 * <p>File format: one entry a line, a check id or glob, then optionally {@code #} and the reason;
 * blank lines and lines starting with {@code #} are ignored.
 *
 * <pre>
 * # not yet implemented by the Go port
 * contract.payment.refund.*   # refunds land in v2
 * wire.story_teller.trace_propagation
 * </pre>
 */
public final class KnownFailures {

  private record Entry(String pattern, Pattern regex, String reason) {}

  private final List<Entry> entries;

  private KnownFailures(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  public static KnownFailures none() {
    return new KnownFailures(List.of());
  }

  public static KnownFailures read(Path file) throws IOException {
    return parse(Files.readAllLines(file));
  }

  public static KnownFailures parse(List<String> lines) {
    List<Entry> entries = new ArrayList<>();
    for (String line : lines) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      int hash = trimmed.indexOf('#');
      String pattern = (hash < 0 ? trimmed : trimmed.substring(0, hash)).strip();
      String reason = hash < 0 ? "listed as a known failure" : trimmed.substring(hash + 1).strip();
      entries.add(new Entry(pattern, CheckSelection.glob(pattern), reason));
    }
    return new KnownFailures(entries);
  }

  /** The reason a check is listed, if it is. */
  public Optional<String> reason(String checkId) {
    return entries.stream().filter(e -> e.regex().matcher(checkId).matches()).map(Entry::reason).findFirst();
  }

  /** The listed patterns that matched no check at all: likely typos, reported as warnings. */
  public List<String> unmatched(List<String> checkIds) {
    return entries.stream()
        .filter(e -> checkIds.stream().noneMatch(id -> e.regex().matcher(id).matches()))
        .map(Entry::pattern)
        .toList();
  }
}
