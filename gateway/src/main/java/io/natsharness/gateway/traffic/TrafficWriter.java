package io.natsharness.gateway.traffic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Appends recorded requests to an NDJSON traffic file, one JSON object a line, flushed per line
 * so a crash loses at most the line being written. Thread safe: the gateway records from many
 * request threads. Only {@link #KEPT_HEADERS} are written; {@code Authorization} only when asked,
 * since a file of bearer tokens is a file of credentials.
 *
 * <pre>{@code
 * try (TrafficWriter traffic = TrafficWriter.create(Path.of("shadow.ndjson"), false)) {
 *   traffic.write(new TrafficRecord(Instant.now(), requestId, "GET", "/v1/x", "", Map.of(), ""));
 * }
 * }</pre>
 */
public final class TrafficWriter implements AutoCloseable {

  /** The headers a record keeps: what changes a service's answer. */
  public static final Set<String> KEPT_HEADERS = Set.of("Content-Type", "Idempotency-Key", "Nh-Request-Id");
  public static final String AUTHORIZATION = "Authorization";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Path file;
  private final BufferedWriter out;
  private final boolean keepAuthorization;

  private TrafficWriter(Path file, BufferedWriter out, boolean keepAuthorization) {
    this.file = file;
    this.out = out;
    this.keepAuthorization = keepAuthorization;
  }

  /** Creates (or truncates) the file. */
  public static TrafficWriter create(Path file, boolean keepAuthorization) throws IOException {
    if (file.toAbsolutePath().getParent() != null) {
      Files.createDirectories(file.toAbsolutePath().getParent());
    }
    return new TrafficWriter(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE), keepAuthorization);
  }

  /** Opens the file for appending, creating it (and its folder) when missing. */
  public static TrafficWriter append(Path file, boolean keepAuthorization) throws IOException {
    if (file.toAbsolutePath().getParent() != null) {
      Files.createDirectories(file.toAbsolutePath().getParent());
    }
    return new TrafficWriter(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE), keepAuthorization);
  }

  public Path file() {
    return file;
  }

  /**
   * Appends one record.
   *
   * @throws UncheckedIOException when the file cannot be written
   */
  public synchronized void write(TrafficRecord record) {
    try {
      out.write(line(record, keepAuthorization));
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to traffic file " + file + ": " + e.getMessage(), e);
    }
  }

  /** The line of a record (without the newline). */
  public static String line(TrafficRecord record, boolean keepAuthorization) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("v", TrafficRecord.VERSION);
    n.put("ts", record.timestamp().toString());
    n.put("id", record.requestId());
    n.put("method", record.method());
    n.put("path", record.path());
    n.put("query", record.query());
    ObjectNode headers = n.putObject("headers");
    Map<String, String> kept = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    record.headers().forEach((name, value) -> {
      boolean keep = KEPT_HEADERS.stream().anyMatch(name::equalsIgnoreCase)
          || (keepAuthorization && AUTHORIZATION.equalsIgnoreCase(name));
      if (keep) {
        kept.put(canonical(name), value);
      }
    });
    kept.forEach(headers::put);
    n.put("body", record.body());
    try {
      return MAPPER.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a traffic record as JSON", e);
    }
  }

  private static String canonical(String name) {
    for (String kept : KEPT_HEADERS) {
      if (kept.equalsIgnoreCase(name)) {
        return kept;
      }
    }
    return AUTHORIZATION.equalsIgnoreCase(name) ? AUTHORIZATION : name;
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}
