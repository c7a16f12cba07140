package io.natsharness.conformance.shadow.report;

import io.natsharness.proto.diff.DifferenceKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a {@link ShadowReport} as one self-contained HTML page: the summary, a table of methods
 * (failing first) with their rates and thresholds, then per method its fields, regressions first,
 * each with its counts and sample requests with the primary's, secondary's and candidate's answers.
 *
 * <pre>{@code
 * ShadowHtmlReport.write(report, Path.of("reports/shadow-diff.html"));
 * }</pre>
 */
public final class ShadowHtmlReport {

  private ShadowHtmlReport() {}

  public static void write(ShadowReport report, Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, render(report));
  }

  public static String render(ShadowReport r) {
    StringBuilder h = new StringBuilder(64 * 1024);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>shadow comparison</title><style>")
        .append("body{font:14px system-ui,sans-serif;margin:2em;color:#222}")
        .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}")
        .append(".REGRESSION,.FAIL{color:#b00020;font-weight:bold}.NOISE{color:#a15c00}.PASS{color:#17692b}")
        .append("pre{margin:0;white-space:pre-wrap;word-break:break-all;max-width:40em}")
        .append("details{margin:.3em 0}</style></head><body>\n");
    h.append("<h1>shadow comparison: ").append(r.passed() ? "passed" : "FAILED").append("</h1>\n<p>")
        .append(esc(r.summary())).append(" in ").append(String.format(Locale.ROOT, "%.1f s", r.duration().toMillis() / 1000.0))
        .append(".<br>").append(esc(r.target())).append("<br>requests: ").append(esc(r.source()))
        .append("<br>noise: ").append(esc(r.noiseSource())).append("</p>\n");
    for (String w : r.warnings()) {
      h.append("<p class=\"NOISE\">warning: ").append(esc(w)).append("</p>\n");
    }
    h.append("<table><tr><th>method</th><th>result</th><th>requests</th><th>mismatched</th><th>rate</th>")
        .append("<th>threshold</th><th>regressions</th><th>noise</th></tr>\n");
    r.methods().stream().sorted(java.util.Comparator.comparing(MethodReport::passed)).forEach(m -> h
        .append("<tr><td><a href=\"#").append(esc(m.subject())).append("\">").append(esc(m.subject())).append("</a></td>")
        .append("<td class=\"").append(m.passed() ? "PASS" : "FAIL").append("\">").append(m.passed() ? "pass" : "FAIL")
        .append("</td><td>").append(m.compared()).append("</td><td>").append(m.mismatched()).append("</td><td>")
        .append(pct(m.mismatchRate())).append("</td><td>").append(pct(m.threshold())).append("</td><td>")
        .append(esc(String.join(", ", m.regressions().stream().map(FieldReport::field).toList()))).append("</td><td>")
        .append(m.fields().size() - m.regressions().size()).append("</td></tr>\n"));
    h.append("</table>\n");
    for (MethodReport m : r.methods()) {
      if (m.fields().isEmpty() && m.notes().isEmpty()) {
        continue;
      }
      h.append("<h2 id=\"").append(esc(m.subject())).append("\">").append(esc(m.subject())).append("</h2>\n");
      m.notes().forEach(n -> h.append("<p>").append(esc(n)).append("</p>\n"));
      if (m.fields().isEmpty()) {
        continue;
      }
      h.append("<table><tr><th>field</th><th>verdict</th><th>candidate differs</th><th>primaries differ</th>")
          .append("<th>kinds (candidate / primaries)</th><th>why</th><th>samples</th></tr>\n");
      for (FieldReport f : m.fields()) {
        h.append("<tr><td>").append(esc(f.field().isEmpty() ? "(answer)" : f.field())).append("</td><td class=\"")
            .append(f.verdict()).append("\">").append(f.verdict()).append("</td><td>").append(f.candidateRequests())
            .append(" (").append(pct(f.candidateRate())).append(")</td><td>").append(f.noiseRequests()).append(" (")
            .append(pct(f.noiseRate())).append(")</td><td>").append(kinds(f.kinds())).append(" / ")
            .append(kinds(f.noiseKinds())).append("</td><td>").append(esc(f.reason())).append("</td><td>");
        for (Sample s : f.samples()) {
          h.append("<details><summary>").append(esc(s.step())).append(" ").append(esc(s.requestId()));
          h.append(": ").append(esc(s.difference().toString()));
          h.append("</summary><pre>request   ").append(esc(s.request())).append("\nprimary   ").append(esc(s.primary()));
          s.secondary().ifPresent(secondary -> h.append("\nsecondary ").append(esc(secondary)));
          h.append("\ncandidate ").append(esc(s.candidate())).append("</pre></details>");
        }
        h.append("</td></tr>\n");
      }
      h.append("</table>\n");
    }
    return h.append("</body></html>\n").toString();
  }

  private static String kinds(Map<DifferenceKind, Integer> kinds) {
    if (kinds.isEmpty()) {
      return "-";
    }
    StringBuilder out = new StringBuilder();
    for (DifferenceKind k : DifferenceKind.values()) {
      if (kinds.containsKey(k)) {
        out.append(out.length() == 0 ? "" : ", ").append(k).append(' ').append(kinds.get(k));
      }
    }
    return out.toString();
  }

  private static String pct(double rate) {
    return String.format(Locale.ROOT, "%.1f%%", rate * 100);
  }

  static String esc(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
