package io.natsharness.services.infra.events;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.nats.client.api.StreamInfoOptions;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.catalog.ServiceInfo;
import io.natsharness.sdk.status.RpcException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The per-domain event streams {@code EVT_<DOMAIN>} (subjects {@code evt.<domain>.>}) and the
 * rules for topics. Domains come from the catalog.
 */
final class EventStreams {

  /** JetStream's duplicate window the streams are created with (the server's default too). */
  static final Duration DUPLICATE_WINDOW = Duration.ofMinutes(2);
  /** JetStream API error code "no message found". */
  static final int NO_MESSAGE_FOUND = 10037;
  /** JetStream API error code "stream not found". */
  static final int STREAM_NOT_FOUND = 10059;

  private static final Pattern TOKEN = Pattern.compile("[a-z0-9_]+");

  private final JetStreamManagement jsm;
  private final List<String> domains;
  private final ConcurrentHashMap<String, Boolean> ensured = new ConcurrentHashMap<>();

  EventStreams(JetStreamManagement jsm) {
    this.jsm = jsm;
    this.domains = ServiceCatalog.load().services().stream().map(ServiceInfo::domain).distinct().sorted().toList();
  }

  List<String> domains() {
    return domains;
  }

  static String streamOf(String domain) {
    return "EVT_" + domain.toUpperCase(Locale.ROOT);
  }

  /**
   * The domain of a concrete topic {@code evt.<domain>.<service>.v1.<event>}.
   *
   * @throws RpcException INVALID_ARGUMENT naming {@code topic}
   */
  String concreteTopicDomain(String topic) {
    if (topic.isEmpty()) {
      throw RpcException.invalidArgument("topic", "must not be empty");
    }
    if (topic.contains("*") || topic.contains(">")) {
      throw RpcException.invalidArgument("topic", "must not contain wildcards");
    }
    String[] tokens = topic.split("\\.", -1);
    if (tokens.length != 5 || !tokens[0].equals("evt") || !tokens[3].equals("v1")
        || !TOKEN.matcher(tokens[2]).matches() || !TOKEN.matcher(tokens[4]).matches()) {
      throw RpcException.invalidArgument("topic",
          "must be evt.<domain>.<service>.v1.<event> with tokens of [a-z0-9_]");
    }
    return knownDomain(tokens[1]);
  }

  /**
   * The domain of a replay filter: {@code evt.<domain>.} followed by tokens of [a-z0-9_] or
   * wildcards ({@code *}, and {@code >} as the last token).
   */
  String filterDomain(String topic) {
    if (topic.isEmpty()) {
      throw RpcException.invalidArgument("topic", "must not be empty");
    }
    String[] tokens = topic.split("\\.", -1);
    if (tokens.length < 3 || !tokens[0].equals("evt")) {
      throw RpcException.invalidArgument("topic", "must be evt.<domain>. followed by a subject inside that domain");
    }
    if (tokens[1].equals("*") || tokens[1].equals(">")) {
      throw RpcException.invalidArgument("topic", "must stay inside one domain (no wildcard for the domain)");
    }
    for (int i = 2; i < tokens.length; i++) {
      boolean last = i == tokens.length - 1;
      boolean ok = TOKEN.matcher(tokens[i]).matches() || tokens[i].equals("*") || (last && tokens[i].equals(">"));
      if (!ok) {
        throw RpcException.invalidArgument("topic", "has an invalid token '" + tokens[i]
            + "' (tokens are [a-z0-9_], '*', or '>' at the end)");
      }
    }
    return knownDomain(tokens[1]);
  }

  String knownDomain(String domain) {
    if (!domains.contains(domain)) {
      throw RpcException.invalidArgument("topic", "has unknown domain '" + domain + "' (known: " + domains + ")");
    }
    return domain;
  }

  /** Creates the domain's stream unless it exists. */
  void ensure(String domain) throws IOException, JetStreamApiException {
    if (ensured.containsKey(domain)) {
      return;
    }
    String stream = streamOf(domain);
    try {
      jsm.getStreamInfo(stream);
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
        throw e;
      }
      try {
        jsm.addStream(StreamConfiguration.builder().name(stream).subjects("evt." + domain + ".>")
            .storageType(StorageType.File).duplicateWindow(DUPLICATE_WINDOW).build());
      } catch (JetStreamApiException raced) {
        jsm.getStreamInfo(stream); // another instance created it first: fine if it now exists
      }
    }
    ensured.put(domain, Boolean.TRUE);
  }

  /** The stream's info with the per-subject counts of {@code filter}, or empty if it does not exist. */
  Optional<StreamInfo> info(String domain, String filter) throws IOException, JetStreamApiException {
    try {
      return Optional.of(filter == null
          ? jsm.getStreamInfo(streamOf(domain))
          : jsm.getStreamInfo(streamOf(domain), StreamInfoOptions.filterSubjects(filter)));
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() == STREAM_NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }
}
