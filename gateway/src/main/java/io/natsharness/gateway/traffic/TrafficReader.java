package io.natsharness.gateway.traffic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an NDJSON traffic file. Blank lines are skipped; any other line that is not a record of
 * format version 1 is refused with the file, line number and problem, so a damaged file is never
 * replayed half-understood. Unknown keys are ignored (later versions may add some).
 *
 * <pre>{@code
 * List<TrafficRecord> records = TrafficReader.read(Path.of("shadow.ndjson"));
 * }</pre>
 */
public final class TrafficReader {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** The HTTP methods a record may have. */
  public static final Set<String> VERBS = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(Set.of("DELETE", "GET", "PATCH", "POST", "PUT")));

  private TrafficReader() {}

  /**
   * Every record of the file, in order.
   *
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException naming file and line of the first malformed record
   */
  public static List<TrafficRecord> read(Path file) throws IOException {
    List<TrafficRecord> records = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while ((line = in.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        try {
          records.add(parse(line));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(file + ":" + number + ": " + e.getMessage(), e);
        }
      }
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(file.toString(), null, "no such traffic file");
    }
    return records;
  }

  /** One line. */
  public static TrafficRecord parse(String line) {
    JsonNode n;
    try {
      n = MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
    }
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("a record must be a JSON object");
    }
    JsonNode version = n.get("v");
    if (version == null || !version.isInt() || version.intValue() != TrafficRecord.VERSION) {
      throw new IllegalArgumentException("unsupported record version " + (version == null ? "(none)" : version)
          + "; this reader knows \"v\":" + TrafficRecord.VERSION);
    }
    String method = text(n, "method", true);
    if (!VERBS.contains(method)) {
      throw new IllegalArgumentException("\"method\" must be one of " + VERBS + ", not \"" + method + "\"");
    }
    String path = text(n, "path", true);
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("\"path\" must start with '/', not \"" + path + "\"");
    }
    Instant ts;
    try {
      ts = Instant.parse(text(n, "ts", true));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("\"ts\" must be an RFC 3339 UTC timestamp, not \"" + n.get("ts").asText() + "\"");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    JsonNode h = n.get("headers");
    if (h != null && !h.isNull()) {
      if (!h.isObject()) {
        throw new IllegalArgumentException("\"headers\" must be an object of strings");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = h.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isTextual()) {
          throw new IllegalArgumentException("header \"" + e.getKey() + "\" must be a string");
        }
        headers.put(e.getKey(), e.getValue().textValue());
      }
    }
    return new TrafficRecord(ts, text(n, "id", true), method, path, text(n, "query", false), headers,
        text(n, "body", false));
  }

  private static String text(JsonNode n, String key, boolean required) {
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      if (required) {
        throw new IllegalArgumentException("missing \"" + key + "\"");
      }
      return "";
    }
    if (!v.isTextual()) {
      throw new IllegalArgumentException("\"" + key + "\" must be a string");
    }
    return v.textValue();
  }
}
