package io.natsharness.conformance.report;

import io.natsharness.conformance.runner.CheckResult;
import io.natsharness.conformance.runner.CheckStatus;
import io.natsharness.conformance.runner.RunResult;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes a run as JUnit XML (the Ant/Surefire format that Jenkins, GitLab and GitHub read): one
 * {@code <testsuite>} per service, one {@code <testcase>} per check. A known failure is reported as
 * skipped with its reason, so CI shows it without failing.
 */
public final class JUnitXmlReport {

  private JUnitXmlReport() {}

  public static void write(RunResult run, Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (OutputStream out = Files.newOutputStream(file)) {
      XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
      xml.writeStartDocument("UTF-8", "1.0");
      xml.writeCharacters("\n");
      xml.writeStartElement("testsuites");
      xml.writeAttribute("name", run.suite());
      attributes(xml, run.results(), run.duration().toMillis() / 1000.0);
      for (Map.Entry<String, List<CheckResult>> service : run.byService().entrySet()) {
        xml.writeCharacters("\n  ");
        xml.writeStartElement("testsuite");
        xml.writeAttribute("name", run.suite() + "." + service.getKey());
        double seconds = service.getValue().stream().mapToLong(r -> r.duration().toMillis()).sum() / 1000.0;
        attributes(xml, service.getValue(), seconds);
        for (CheckResult result : service.getValue()) {
          testcase(xml, run.suite() + "." + service.getKey(), result);
        }
        xml.writeCharacters("\n  ");
        xml.writeEndElement();
      }
      xml.writeCharacters("\n");
      xml.writeEndElement();
      xml.writeEndDocument();
      xml.close();
    } catch (XMLStreamException e) {
      throw new IOException("cannot write " + file, e);
    }
  }

  private static void attributes(XMLStreamWriter xml, List<CheckResult> results, double seconds)
      throws XMLStreamException {
    xml.writeAttribute("tests", Integer.toString(results.size()));
    xml.writeAttribute("failures", Long.toString(
        results.stream().filter(r -> r.status().failsRun()).count()));
    xml.writeAttribute("errors", "0");
    xml.writeAttribute("skipped", Long.toString(results.stream()
        .filter(r -> r.status() == CheckStatus.SKIPPED || r.status() == CheckStatus.KNOWN_FAILURE).count()));
    xml.writeAttribute("time", String.format(Locale.ROOT, "%.3f", seconds));
  }

  private static void testcase(XMLStreamWriter xml, String className, CheckResult result)
      throws XMLStreamException {
    xml.writeCharacters("\n    ");
    xml.writeStartElement("testcase");
    xml.writeAttribute("classname", className);
    xml.writeAttribute("name", result.id());
    xml.writeAttribute("time", String.format(Locale.ROOT, "%.3f", result.duration().toMillis() / 1000.0));
    switch (result.status()) {
      case FAILED, UNEXPECTED_PASS -> {
        xml.writeStartElement("failure");
        xml.writeAttribute("message", firstLine(result.message()));
        xml.writeAttribute("type", result.status().name());
        xml.writeCharacters(result.description() + "\n\n" + result.message());
        xml.writeEndElement();
      }
      case SKIPPED, KNOWN_FAILURE -> {
        xml.writeEmptyElement("skipped");
        xml.writeAttribute("message", result.status() == CheckStatus.KNOWN_FAILURE
            ? "known failure: " + firstLine(result.message()) : result.message());
      }
      case PASSED -> { }
    }
    xml.writeEndElement();
  }

  private static String firstLine(String s) {
    int newline = s.indexOf('\n');
    return newline < 0 ? s : s.substring(0, newline);
  }
}
