package io.natsharness.conformance.runner;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Which checks run: those matching any {@code --run} pattern (all when none is given) and no
 * {@code --skip} pattern. Patterns are globs over check ids: {@code *} matches any characters, so
 * {@code contract.payment.*} selects the payment contract checks and {@code *.payment.*} every
 * payment check.
 *
 * <pre>{@code
 * CheckSelection selection = CheckSelection.of(List.of("*.payment.*"), List.of("*.max_payload"));
 * }</pre>
 */
public final class CheckSelection {

  private final List<Pattern> run;
  private final List<Pattern> skip;

  private CheckSelection(List<Pattern> run, List<Pattern> skip) {
    this.run = run;
    this.skip = skip;
  }

  public static CheckSelection all() {
    return of(List.of(), List.of());
  }

  public static CheckSelection of(List<String> run, List<String> skip) {
    return new CheckSelection(
        run.stream().map(CheckSelection::glob).toList(), skip.stream().map(CheckSelection::glob).toList());
  }

  public boolean selects(String checkId) {
    boolean wanted = run.isEmpty() || run.stream().anyMatch(p -> p.matcher(checkId).matches());
    return wanted && skip.stream().noneMatch(p -> p.matcher(checkId).matches());
  }

  /** A glob as a regular expression: {@code *} is any run of characters, the rest literal. */
  static Pattern glob(String glob) {
    StringBuilder regex = new StringBuilder();
    for (String part : glob.split("\\*", -1)) {
      if (!regex.isEmpty()) {
        regex.append(".*");
      }
      regex.append(Pattern.quote(part));
    }
    return Pattern.compile(regex.toString());
  }
}
