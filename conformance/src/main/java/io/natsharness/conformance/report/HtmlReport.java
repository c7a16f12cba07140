package io.natsharness.conformance.report;

import io.natsharness.conformance.runner.CheckResult;
import io.natsharness.conformance.runner.CheckStatus;
import io.natsharness.conformance.runner.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a run as one self-contained HTML page: the summary, a table of services with their
 * counts, and every check with its status and message; failures first within each service.
 */
public final class HtmlReport {

  private HtmlReport() {}

  public static void write(RunResult run, Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, render(run));
  }

  static String render(RunResult run) {
    StringBuilder html = new StringBuilder(64 * 1024);
    html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>").append(esc(run.suite())).append(" report</title><style>")
        .append("body{font:14px system-ui,sans-serif;margin:2em;color:#222}")
        .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}")
        .append(".PASSED{color:#17692b}.FAILED,.UNEXPECTED_PASS{color:#b00020;font-weight:bold}")
        .append(".KNOWN_FAILURE{color:#a15c00}.SKIPPED{color:#666}pre{margin:0;white-space:pre-wrap}")
        .append("</style></head><body>\n");
    html.append("<h1>").append(esc(run.suite())).append(": ")
        .append(run.passed() ? "passed" : "FAILED").append("</h1>\n");
    html.append("<p>").append(esc(run.summary())).append(" in ")
        .append(String.format(Locale.ROOT, "%.1f s", run.duration().toMillis() / 1000.0))
        .append(" against ").append(esc(run.target())).append(".</p>\n");
    for (String warning : run.warnings()) {
      html.append("<p class=\"KNOWN_FAILURE\">warning: ").append(esc(warning)).append("</p>\n");
    }
    html.append("<table><tr><th>service</th><th>checks</th><th>passed</th><th>failed</th>")
        .append("<th>known failures</th><th>skipped</th></tr>\n");
    for (Map.Entry<String, List<CheckResult>> e : run.byService().entrySet()) {
      List<CheckResult> rs = e.getValue();
      html.append("<tr><td><a href=\"#").append(esc(e.getKey())).append("\">").append(esc(e.getKey()))
          .append("</a></td><td>").append(rs.size()).append("</td><td>").append(count(rs, CheckStatus.PASSED))
          .append("</td><td>").append(rs.stream().filter(r -> r.status().failsRun()).count())
          .append("</td><td>").append(count(rs, CheckStatus.KNOWN_FAILURE))
          .append("</td><td>").append(count(rs, CheckStatus.SKIPPED)).append("</td></tr>\n");
    }
    html.append("</table>\n");
    for (Map.Entry<String, List<CheckResult>> e : run.byService().entrySet()) {
      html.append("<h2 id=\"").append(esc(e.getKey())).append("\">").append(esc(e.getKey())).append("</h2>\n")
          .append("<table><tr><th>check</th><th>status</th><th>what it holds</th><th>message</th><th>ms</th></tr>\n");
      e.getValue().stream()
          .sorted(java.util.Comparator.comparing((CheckResult r) -> !r.status().failsRun()))
          .forEach(r -> html.append("<tr><td>").append(esc(r.id())).append("</td><td class=\"")
              .append(r.status()).append("\">").append(r.status()).append("</td><td>")
              .append(esc(r.description())).append("</td><td><pre>").append(esc(r.message()))
              .append("</pre></td><td>").append(r.duration().toMillis()).append("</td></tr>\n"));
      html.append("</table>\n");
    }
    return html.append("</body></html>\n").toString();
  }

  private static long count(List<CheckResult> results, CheckStatus status) {
    return results.stream().filter(r -> r.status() == status).count();
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
