package io.natsharness.conformance.load.distributed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.natsharness.conformance.load.LoadMode;
import io.natsharness.conformance.load.LoadPlan;
import io.natsharness.conformance.load.RateProfile;
import io.natsharness.conformance.load.generate.Counts;
import io.natsharness.conformance.load.generate.Interval;
import io.natsharness.conformance.load.generate.Tally;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * The JSON of the coordination protocol: plans out, intervals back. Histograms travel in
 * HdrHistogram's compressed encoding (base64 in the JSON), which keeps every bucket, so the
 * coordinator's merge is exact.
 */
final class Messages {

  static final ObjectMapper JSON = new ObjectMapper();

  private Messages() {}

  static byte[] bytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode read(byte[] data) {
    try {
      return JSON.readTree(data);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a coordination message: " + e.getMessage(), e);
    }
  }

  static ObjectNode plan(LoadPlan plan) {
    ObjectNode n = JSON.createObjectNode();
    ArrayNode rate = n.putArray("rate");
    Arrays.stream(plan.rate().toArray()).forEach(rate::add);
    n.put("callers", plan.mode().open() ? 0 : plan.mode().callers());
    n.put("warmupMicros", plan.warmup().toNanos() / 1_000);
    n.put("durationMicros", plan.duration().toNanos() / 1_000);
    n.put("maxRequests", plan.maxRequests());
    n.put("maxInFlight", plan.maxInFlight());
    n.put("timeoutMicros", plan.timeout().toNanos() / 1_000);
    n.put("lateThresholdMicros", plan.lateThreshold().toNanos() / 1_000);
    n.put("intervalMicros", plan.interval().toNanos() / 1_000);
    return n;
  }

  static LoadPlan plan(JsonNode n) {
    JsonNode r = n.required("rate");
    double[] rate = {r.get(0).asDouble(), r.get(1).asDouble(), r.get(2).asDouble()};
    int callers = n.required("callers").asInt();
    LoadPlan.Builder b = LoadPlan.builder().withRate(RateProfile.fromArray(rate))
        .withMode(callers == 0 ? LoadMode.openLoop() : LoadMode.closedLoop(callers))
        .withWarmup(micros(n, "warmupMicros")).withDuration(micros(n, "durationMicros"))
        .withMaxInFlight(n.required("maxInFlight").asInt()).withTimeout(micros(n, "timeoutMicros"))
        .withLateThreshold(micros(n, "lateThresholdMicros")).withInterval(micros(n, "intervalMicros"));
    long max = n.required("maxRequests").asLong();
    if (max != Long.MAX_VALUE) {
      b.withMaxRequests(max);
    }
    return b.build();
  }

  private static Duration micros(JsonNode n, String field) {
    return Duration.ofNanos(n.required(field).asLong() * 1_000);
  }

  static ObjectNode interval(Interval i, int phase, String endpoint) {
    ObjectNode n = JSON.createObjectNode();
    n.put("worker", i.source());
    n.put("phase", phase);
    n.put("seq", i.sequence());
    n.put("last", i.last());
    n.put("startMicros", i.startMicros());
    n.put("endMicros", i.endMicros());
    n.put("endpoint", endpoint);
    n.put("response", encode(i.response()));
    n.put("service", encode(i.service()));
    n.put("lag", encode(i.lag()));
    Counts c = i.counts();
    ObjectNode counts = n.putObject("counts");
    counts.put("sent", c.sent());
    counts.put("answered", c.answered());
    counts.put("ok", c.ok());
    counts.put("lateStarts", c.lateStarts());
    counts.put("inFlightWaits", c.inFlightWaits());
    counts.put("warmup", c.warmup());
    counts.put("measureStartMicros", c.measureStartMicros());
    counts.put("lastAnswerMicros", c.lastAnswerMicros());
    ObjectNode errors = counts.putObject("errors");
    c.errors().forEach(errors::put);
    return n;
  }

  static Interval interval(JsonNode n) {
    JsonNode c = n.required("counts");
    Map<String, Long> errors = new TreeMap<>();
    c.required("errors").fields().forEachRemaining(e -> errors.put(e.getKey(), e.getValue().asLong()));
    Counts counts = new Counts(c.required("sent").asLong(), c.required("answered").asLong(), c.required("ok").asLong(),
        c.required("lateStarts").asLong(), c.required("inFlightWaits").asLong(), c.required("warmup").asLong(), errors,
        c.required("measureStartMicros").asLong(), c.required("lastAnswerMicros").asLong());
    return new Interval(n.required("worker").asText(), n.required("seq").asInt(), n.required("last").asBoolean(),
        n.required("startMicros").asLong(), n.required("endMicros").asLong(), decode(n.required("response").asText()),
        decode(n.required("service").asText()), decode(n.required("lag").asText()), counts);
  }

  static String encode(Histogram h) {
    ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
    int length = h.encodeIntoCompressedByteBuffer(buffer);
    return Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length));
  }

  static Histogram decode(String base64) {
    try {
      return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)),
          Tally.HIGHEST_MICROS);
    } catch (DataFormatException | IllegalArgumentException e) {
      throw new IllegalArgumentException("a histogram that does not decode: " + e.getMessage(), e);
    }
  }
}
