package io.natsharness.gateway.traffic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Message;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.diff.Answer;
import io.natsharness.proto.diff.AnswerJson;
import io.natsharness.proto.diff.Difference;
import io.natsharness.proto.diff.DifferenceKind;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An NDJSON file of {@link ObservationLine}s: the gateway appends one line per compared SHADOW
 * request ({@code shadow.observations-file}); the shadow suite reads them back into its report.
 * Lines are flushed one by one, so a crash loses at most the line being written; a reader refuses
 * a malformed line naming file and line.
 *
 * <pre>{@code
 * try (ObservationFile file = ObservationFile.append(Path.of("observations.ndjson"))) {
 *   file.write(line);
 * }
 * List<ObservationLine> lines = ObservationFile.read(Path.of("observations.ndjson"), ServiceCatalog.load());
 * }</pre>
 */
public final class ObservationFile implements AutoCloseable {

  /** The version of the line format this code writes and reads. */
  public static final int VERSION = 1;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Path file;
  private final BufferedWriter out;

  private ObservationFile(Path file, BufferedWriter out) {
    this.file = file;
    this.out = out;
  }

  /** Opens the file for appending, creating it (and its folder) when missing. */
  public static ObservationFile append(Path file) throws IOException {
    if (file.toAbsolutePath().getParent() != null) {
      Files.createDirectories(file.toAbsolutePath().getParent());
    }
    return new ObservationFile(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE));
  }

  public Path file() {
    return file;
  }

  /**
   * Appends one line.
   *
   * @throws UncheckedIOException when the file cannot be written
   */
  public synchronized void write(ObservationLine line) {
    try {
      out.write(line(line));
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to observations file " + file + ": " + e.getMessage(), e);
    }
  }

  /** The JSON of one line (without the newline). */
  public static String line(ObservationLine o) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("v", VERSION);
    n.put("ts", o.timestamp().toString());
    n.put("route", o.route());
    n.put("id", o.requestId());
    try {
      n.set("request", MAPPER.readTree(o.request()));
      n.set("primary", MAPPER.readTree(AnswerJson.write(o.primary())));
      n.set("candidate", MAPPER.readTree(AnswerJson.write(o.candidate())));
      ArrayNode diffs = n.putArray("differences");
      for (Difference d : o.differences()) {
        diffs.addObject().put("path", d.path()).put("kind", d.kind().name())
            .put("primary", d.primaryValue()).put("candidate", d.candidateValue());
      }
      return MAPPER.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write an observation as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Every line of the file, in order; blank lines are skipped.
   *
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException naming file and line of the first malformed one
   */
  public static List<ObservationLine> read(Path file, ServiceCatalog catalog) throws IOException {
    List<ObservationLine> lines = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String text;
      int number = 0;
      while ((text = in.readLine()) != null) {
        number++;
        if (!text.isBlank()) {
          try {
            lines.add(parse(text, catalog));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ":" + number + ": " + e.getMessage(), e);
          }
        }
      }
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(file.toString(), null, "no such observations file");
    }
    return lines;
  }

  /** One line. */
  public static ObservationLine parse(String text, ServiceCatalog catalog) {
    JsonNode n;
    try {
      n = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
    }
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("an observation must be a JSON object");
    }
    JsonNode version = n.get("v");
    if (version == null || !version.isInt() || version.intValue() != VERSION) {
      throw new IllegalArgumentException("unsupported observation version " + (version == null ? "(none)" : version)
          + "; this reader knows \"v\":" + VERSION);
    }
    String route = text(n, "route");
    MethodInfo method = catalog.method(route)
        .orElseThrow(() -> new IllegalArgumentException("\"route\" " + route + " is no method of the catalog"));
    Instant ts;
    try {
      ts = Instant.parse(text(n, "ts"));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("\"ts\" must be an RFC 3339 UTC timestamp, not \"" + n.get("ts").asText() + "\"");
    }
    JsonNode request = n.get("request");
    if (request == null || !request.isObject()) {
      throw new IllegalArgumentException("\"request\" must be the request as a JSON object");
    }
    List<Difference> diffs = new ArrayList<>();
    JsonNode d = n.get("differences");
    if (d == null || !d.isArray()) {
      throw new IllegalArgumentException("\"differences\" must be an array");
    }
    for (JsonNode e : d) {
      String kind = text(e, "kind");
      try {
        diffs.add(new Difference(text(e, "path"), DifferenceKind.valueOf(kind), text(e, "primary"), text(e, "candidate")));
      } catch (IllegalArgumentException bad) {
        throw new IllegalArgumentException("unknown difference kind \"" + kind + "\"");
      }
    }
    return new ObservationLine(ts, route, text(n, "id"), request.toString(),
        answer(n, "primary", method.responseType()), answer(n, "candidate", method.responseType()), diffs);
  }

  /** An answer as {@link AnswerJson#write(Answer)} wrote it. */
  private static Answer answer(JsonNode line, String key, Descriptor type) {
    JsonNode a = line.get(key);
    if (a == null || !a.isObject()) {
      throw new IllegalArgumentException("\"" + key + "\" must be an answer object");
    }
    if (a.has("message")) {
      Answer read = AnswerJson.read(type, a.get("message").toString());
      if (read instanceof Answer.Success s && a.has("unknown_fields")) {
        Map<String, String> unknown = new LinkedHashMap<>();
        a.get("unknown_fields").fields().forEachRemaining(e -> unknown.put(e.getKey(), e.getValue().toString()));
        return new Answer.Success(s.message(), unknown);
      }
      return read;
    }
    if (a.has("stream")) {
      List<Message> messages = new ArrayList<>();
      for (JsonNode m : a.get("stream")) {
        if (AnswerJson.read(type, m.toString()) instanceof Answer.Success s) {
          messages.add(s.message());
        } else {
          throw new IllegalArgumentException("\"" + key + "\" has a stream message that is not a " + type.getFullName());
        }
      }
      Optional<Answer> error = a.has("error") ? Optional.of(AnswerJson.readError(a.get("error").toString())) : Optional.empty();
      return error.filter(Answer.Failure.class::isInstance)
          .map(e -> (Answer) Answer.stream(messages, ((Answer.Failure) e).status()))
          .orElseGet(() -> Answer.stream(messages));
    }
    if (a.has("error")) {
      return AnswerJson.readError(a.get("error").toString());
    }
    if (a.has("unreadable")) {
      return Answer.unreadable(a.get("unreadable").asText(), a.path("content").asText());
    }
    throw new IllegalArgumentException("\"" + key + "\" has none of message, stream, error, unreadable");
  }

  private static String text(JsonNode n, String key) {
    JsonNode v = n.get(key);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("missing \"" + key + "\" (a string)");
    }
    return v.textValue();
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}
