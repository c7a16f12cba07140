package io.natsharness.conformance.cli;

import io.natsharness.conformance.report.HtmlReport;
import io.natsharness.conformance.report.JUnitXmlReport;
import io.natsharness.conformance.runner.RunResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where a suite writes its reports. */
public final class ReportOptions {

  @Option(names = "--report-dir", paramLabel = "DIR", defaultValue = "natsharness-reports",
      description = "Folder for the JUnit XML and HTML reports (default: ${DEFAULT-VALUE}).")
  Path reportDir;

  /** Writes {@code <suite>.xml} and {@code <suite>.html} and says where. */
  public void write(RunResult result, PrintStream out) throws IOException {
    Path xml = reportDir.resolve(result.suite() + "-junit.xml");
    Path html = reportDir.resolve(result.suite() + ".html");
    JUnitXmlReport.write(result, xml);
    HtmlReport.write(result, html);
    out.println("reports: " + xml + ", " + html);
  }
}
