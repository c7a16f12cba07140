package io.natsharness.conformance.shadow.traffic;

import com.google.protobuf.Message;
import io.natsharness.gateway.traffic.TrafficReader;
import io.natsharness.gateway.traffic.TrafficRecord;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.sdk.http.HttpTranscoder;
import io.natsharness.sdk.status.RpcException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A traffic file made ready to send again: each record matched to its method by verb and path
 * template (the most literal template wins, as in a router), and decoded into the method's
 * request with the SDK's {@link HttpTranscoder}, for the NATS sides. A record the transcoder
 * refuses keeps its refusal: a gateway in front of NATS would answer that error, so it is the
 * NATS side's answer. Records of no route are left out, with a warning.
 *
 * <pre>{@code
 * Replay replay = Replay.plan(TrafficReader.read(file), ServiceCatalog.load());
 * replay.items().size(); replay.warnings();
 * }</pre>
 */
public final class Replay {

  /**
   * One record ready to send.
   *
   * @param index 1-based position among the file's records
   * @param record the record (what HTTP sides get)
   * @param method the method its route belongs to
   * @param request the decoded request (what NATS sides get), unless refused
   * @param refused the transcoder's error, when the record does not decode
   */
  public record Item(int index, TrafficRecord record, MethodInfo method, Optional<Message> request,
      Optional<RpcException> refused) {}

  private final List<Item> items;
  private final List<String> warnings;

  private Replay(List<Item> items, List<String> warnings) {
    this.items = List.copyOf(items);
    this.warnings = List.copyOf(warnings);
  }

  public static Replay plan(List<TrafficRecord> records, ServiceCatalog catalog) {
    HttpTranscoder transcoder = HttpTranscoder.create();
    List<Item> items = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      TrafficRecord r = records.get(i);
      Optional<MethodInfo> method = route(catalog, r.method(), r.path());
      if (method.isEmpty()) {
        warnings.add("record " + (i + 1) + " (" + r.method() + " " + r.path() + "): no route of the catalog matches; left out");
        continue;
      }
      MethodInfo m = method.get();
      Map<String, String> vars = m.route().path().match(r.path()).orElseThrow();
      try {
        Message request = transcoder.decodeRequest(m, vars, QueryStrings.parse(r.query()),
            r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        items.add(new Item(i + 1, r, m, Optional.of(request), Optional.empty()));
      } catch (RpcException refused) {
        items.add(new Item(i + 1, r, m, Optional.empty(), Optional.of(refused)));
      }
    }
    return new Replay(items, warnings);
  }

  /** The method whose route matches, the most literal template first. */
  static Optional<MethodInfo> route(ServiceCatalog catalog, String verb, String path) {
    return catalog.methods().stream()
        .filter(m -> m.route().verb().equals(verb) && m.route().path().match(path).isPresent())
        .max(Comparator.comparingInt(m -> m.route().path().literalLength()));
  }

  public List<Item> items() {
    return items;
  }

  public List<String> warnings() {
    return warnings;
  }
}
