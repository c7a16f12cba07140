package io.natsharness.sdk.events;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.natsharness.sdk.status.RpcException;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The per-domain event streams {@code EVT_<DOMAIN>} with subjects {@code evt.<domain>.>}, made on demand. */
final class EventStreams {

  /** JetStream's own default; a repeat of an event id inside it is stored once. */
  static final Duration DUPLICATE_WINDOW = Duration.ofMinutes(2);
  private static final int STREAM_NOT_FOUND = 10059;

  private final JetStreamManagement jsm;
  private final Set<String> known = ConcurrentHashMap.newKeySet();

  EventStreams(Connection connection) {
    try {
      this.jsm = connection.jetStreamManagement();
    } catch (IOException e) {
      throw RpcException.unavailable("JetStream is not available: " + e.getMessage());
    }
  }

  /** The domain of an event subject {@code evt.<domain>.…}. */
  static String domain(String subject) {
    String[] tokens = subject == null ? new String[0] : subject.split("\\.", -1);
    if (tokens.length < 3 || !tokens[0].equals("evt") || tokens[1].isEmpty()
        || java.util.Arrays.stream(tokens).anyMatch(t -> t.isEmpty() || t.contains("*") || t.contains(">"))) {
      throw new IllegalArgumentException("event subject must be evt.<domain>.<...> without wildcards: " + subject);
    }
    return tokens[1];
  }

  static String streamName(String domain) {
    return "EVT_" + domain.toUpperCase(Locale.ROOT);
  }

  /** Makes sure the stream of the subject's domain exists; returns its name. */
  String ensureFor(String subject) {
    String domain = domain(subject);
    String stream = streamName(domain);
    if (known.contains(stream)) {
      return stream;
    }
    try {
      try {
        jsm.getStreamInfo(stream);
      } catch (JetStreamApiException e) {
        if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
          throw e;
        }
        // Two creators racing with the same configuration both succeed: JetStream accepts the repeat.
        jsm.addStream(StreamConfiguration.builder()
            .name(stream)
            .subjects("evt." + domain + ".>")
            .storageType(StorageType.File)
            .duplicateWindow(DUPLICATE_WINDOW)
            .build());
      }
    } catch (JetStreamApiException e) {
      throw RpcException.unavailable("cannot create event stream " + stream + ": " + e.getErrorDescription());
    } catch (IOException e) {
      throw RpcException.unavailable("cannot reach JetStream for stream " + stream + ": " + e.getMessage());
    }
    known.add(stream);
    return stream;
  }
}
