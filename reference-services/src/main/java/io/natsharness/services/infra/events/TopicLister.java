package io.natsharness.services.infra.events;

import com.google.protobuf.util.Timestamps;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StreamInfo;
import io.natsharness.proto.common.v1.PageResponse;
import io.natsharness.proto.infra.events.v1.ListTopicsRequest;
import io.natsharness.proto.infra.events.v1.ListTopicsResponse;
import io.natsharness.proto.infra.events.v1.TopicInfo;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.services.support.Validation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code list_topics}: the subjects with stored events across the domain streams, sorted, paged
 * by an opaque token that names the filters it was issued for and the last topic of its page.
 */
final class TopicLister {

  static final int DEFAULT_PAGE = 100;
  static final int MAX_PAGE = 1000;
  private static final String TOKEN_VERSION = "lt1";

  private final JetStreamManagement jsm;
  private final EventStreams streams;

  TopicLister(JetStreamManagement jsm, EventStreams streams) {
    this.jsm = jsm;
    this.streams = streams;
  }

  ListTopicsResponse list(ListTopicsRequest request) {
    String domain = request.getDomain();
    if (!domain.isEmpty() && !streams.domains().contains(domain)) {
      throw RpcException.invalidArgument("domain", "unknown domain '" + domain + "' (known: " + streams.domains() + ")");
    }
    int pageSize = Validation.pageSize(request.getPage().getPageSize(), DEFAULT_PAGE, MAX_PAGE, "page.page_size");
    String after = after(request);
    List<String> domains = domain.isEmpty() ? streams.domains() : List.of(domain);
    try {
      // topic -> (stream, count), sorted by topic across every domain.
      TreeMap<String, Map.Entry<String, Long>> counts = new TreeMap<>();
      for (String d : domains) {
        StreamInfo info = streams.info(d, "evt." + d + ".>").orElse(null);
        if (info == null || info.getStreamState().getSubjectMap() == null) {
          continue;
        }
        String stream = EventStreams.streamOf(d);
        info.getStreamState().getSubjectMap().forEach((topic, count) -> {
          if (topic.startsWith(request.getPrefix()) && count > 0 && topic.compareTo(after) > 0) {
            counts.put(topic, Map.entry(stream, count));
          }
        });
      }
      List<TopicInfo> page = new ArrayList<>();
      for (Map.Entry<String, Map.Entry<String, Long>> entry : counts.entrySet()) {
        if (page.size() == pageSize) {
          break;
        }
        page.add(topic(entry.getKey(), entry.getValue().getKey(), entry.getValue().getValue()));
      }
      ListTopicsResponse.Builder response = ListTopicsResponse.newBuilder().addAllTopics(page);
      if (counts.size() > page.size()) {
        response.setPage(PageResponse.newBuilder().setNextPageToken(token(request, page.get(page.size() - 1).getTopic())));
      } else {
        response.setPage(PageResponse.getDefaultInstance());
      }
      return response.build();
    } catch (JetStreamApiException e) {
      throw RpcException.unavailable("JetStream refused the stream info: " + e.getErrorDescription());
    } catch (IOException e) {
      throw RpcException.unavailable("JetStream did not answer: " + e.getMessage());
    }
  }

  private TopicInfo topic(String topic, String stream, long count) throws IOException, JetStreamApiException {
    TopicInfo.Builder info = TopicInfo.newBuilder().setTopic(topic).setStream(stream).setEventCount(count);
    try {
      MessageInfo last = jsm.getLastMessage(stream, topic);
      info.setLastSequence(last.getSeq());
      if (last.getTime() != null) {
        info.setLastPublishedAt(Timestamps.fromMillis(last.getTime().toInstant().toEpochMilli()));
      }
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() != EventStreams.NO_MESSAGE_FOUND) {
        throw e; // else aged out between the two reads: keep the count alone
      }
    }
    return info.build();
  }

  private static String after(ListTopicsRequest request) {
    String token = request.getPage().getPageToken();
    if (token.isEmpty()) {
      return "";
    }
    String[] parts;
    try {
      parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("\n", -1);
    } catch (IllegalArgumentException e) {
      parts = new String[0];
    }
    if (parts.length != 4 || !parts[0].equals(TOKEN_VERSION) || !parts[1].equals(request.getDomain())
        || !parts[2].equals(request.getPrefix())) {
      throw RpcException.invalidArgument("page.page_token", "is not from a previous answer with the same filters");
    }
    return parts[3];
  }

  private static String token(ListTopicsRequest request, String lastTopic) {
    String raw = String.join("\n", TOKEN_VERSION, request.getDomain(), request.getPrefix(), lastTopic);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }
}
