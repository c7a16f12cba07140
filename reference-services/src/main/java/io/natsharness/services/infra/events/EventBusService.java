package io.natsharness.services.infra.events;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.Timestamps;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.PublishOptions;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StreamInfo;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.natsharness.proto.infra.events.v1.ListTopicsRequest;
import io.natsharness.proto.infra.events.v1.ListTopicsResponse;
import io.natsharness.proto.infra.events.v1.PublishRequest;
import io.natsharness.proto.infra.events.v1.PublishResponse;
import io.natsharness.proto.infra.events.v1.ReplayRequest;
import io.natsharness.proto.infra.events.v1.StoredEvent;
import io.natsharness.sdk.service.CallContext;
import io.natsharness.sdk.service.Endpoints;
import io.natsharness.sdk.service.NatsService;
import io.natsharness.sdk.service.StreamSink;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.sdk.status.WireHeaders;
import io.natsharness.services.support.ServiceContext;
import io.natsharness.services.support.Validation;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The front door of the event streams: publish a caller's event with {@code Nats-Msg-Id}
 * deduplication, replay a topic (wildcards inside one domain) as a snapshot stream, list topics
 * with their counts.
 *
 * <pre>{@code
 * ServiceHost.builder().connection(nats).add(new EventBusService(ctx)).build().start();
 * }</pre>
 */
public final class EventBusService implements NatsService {

  static final int MAX_PAYLOAD = 512 * 1024;
  static final int MAX_EVENT_ID = 128;
  static final String EVENT_TYPE_HEADER = "Nh-Event-Type";
  private static final String MSG_ID = "Nats-Msg-Id";
  private static final Set<String> LIMIT_ERRORS = Set.of("10077", "10078", "10047", "10054");

  private final JetStream js;
  private final JetStreamManagement jsm;
  private final EventStreams streams;
  private final TopicLister topics;

  public EventBusService(ServiceContext ctx) {
    try {
      this.js = ctx.nats().jetStream();
      this.jsm = ctx.nats().jetStreamManagement();
    } catch (IOException e) {
      throw new IllegalStateException("JetStream is not available on this NATS connection", e);
    }
    this.streams = new EventStreams(jsm);
    this.topics = new TopicLister(jsm, streams);
  }

  @Override
  public String name() {
    return "event_bus";
  }

  @Override
  public void bind(Endpoints endpoints) {
    endpoints
        .unary("publish", this::publish)
        .stream("replay", this::replay)
        .unary("list_topics", this::listTopics);
  }

  PublishResponse publish(PublishRequest request, CallContext call) {
    String domain = streams.concreteTopicDomain(request.getTopic());
    String eventId = Validation.nonEmpty(request.getEventId(), MAX_EVENT_ID, "event_id");
    Validation.require(request.getPayload().size() <= MAX_PAYLOAD, "payload", "must be at most 512 KiB");
    String contentType = request.getContentType().isEmpty()
        ? WireHeaders.APPLICATION_PROTOBUF : request.getContentType().toLowerCase(Locale.ROOT);
    Validation.require(contentType.equals(WireHeaders.APPLICATION_PROTOBUF)
        || contentType.equals(WireHeaders.APPLICATION_JSON), "content_type",
        "must be application/protobuf or application/json");
    Headers headers = new Headers();
    request.getHeadersMap().forEach((name, value) -> {
      Validation.require(!name.regionMatches(true, 0, "Nats-", 0, 5), "headers",
          "header names starting with 'Nats-' are reserved: " + name);
      Validation.require(!name.isEmpty() && name.chars().allMatch(c -> c > 32 && c < 127 && c != ':'), "headers",
          "header name '" + name + "' is not a valid header token");
      Validation.require(value.chars().noneMatch(c -> c == '\r' || c == '\n'), "headers",
          "the value of header '" + name + "' must not contain line breaks");
      headers.put(name, value);
    });
    headers.put(WireHeaders.CONTENT_TYPE, contentType);
    if (!request.getType().isEmpty()) {
      headers.put(EVENT_TYPE_HEADER, request.getType());
    }
    String stream = EventStreams.streamOf(domain);
    try {
      streams.ensure(domain);
      PublishAck ack = js.publish(NatsMessage.builder().subject(request.getTopic()).headers(headers)
          .data(request.getPayload().toByteArray()).build(),
          PublishOptions.builder().messageId(eventId).expectedStream(stream).build());
      return PublishResponse.newBuilder().setStream(ack.getStream()).setSequence(ack.getSeqno())
          .setDuplicate(ack.isDuplicate()).build();
    } catch (JetStreamApiException e) {
      if (LIMIT_ERRORS.contains(Integer.toString(e.getApiErrorCode()))) {
        throw RpcException.resourceExhausted("stream " + stream + " refused the event: " + e.getErrorDescription());
      }
      throw RpcException.unavailable("JetStream refused the event: " + e.getErrorDescription());
    } catch (IOException e) {
      throw RpcException.unavailable("JetStream did not acknowledge the event: " + e.getMessage());
    }
  }

  void replay(ReplayRequest request, CallContext call, StreamSink<StoredEvent> sink) {
    String domain = streams.filterDomain(request.getTopic());
    Validation.require(request.getMaxEvents() >= 0, "max_events", "must not be negative");
    String stream = EventStreams.streamOf(domain);
    try {
      StreamInfo info = streams.info(domain, null).orElse(null);
      long last = info == null ? 0 : info.getStreamState().getLastSequence();
      if (request.getFromSequence() > last + 1) {
        throw RpcException.outOfRange("from_sequence " + request.getFromSequence()
            + " is beyond the stream's last sequence + 1 (" + (last + 1) + ")");
      }
      long next = Math.max(1, request.getFromSequence());
      int sent = 0;
      // A snapshot: stops at the last sequence stored when the request arrived.
      while (next <= last && (request.getMaxEvents() == 0 || sent < request.getMaxEvents())) {
        MessageInfo message;
        try {
          message = jsm.getNextMessage(stream, next, request.getTopic());
        } catch (JetStreamApiException e) {
          if (e.getApiErrorCode() == EventStreams.NO_MESSAGE_FOUND) {
            break;
          }
          throw e;
        }
        if (message.getSeq() > last) {
          break;
        }
        sink.send(stored(message, stream));
        sent++;
        next = message.getSeq() + 1;
      }
    } catch (JetStreamApiException e) {
      throw RpcException.unavailable("JetStream refused the replay: " + e.getErrorDescription());
    } catch (IOException e) {
      throw RpcException.unavailable("JetStream did not answer the replay: " + e.getMessage());
    }
  }

  ListTopicsResponse listTopics(ListTopicsRequest request, CallContext call) {
    return topics.list(request);
  }

  static StoredEvent stored(MessageInfo message, String stream) {
    StoredEvent.Builder event = StoredEvent.newBuilder()
        .setTopic(message.getSubject())
        .setStream(stream)
        .setSequence(message.getSeq())
        .setPayload(ByteString.copyFrom(message.getData() == null ? new byte[0] : message.getData()))
        .setContentType(WireHeaders.APPLICATION_PROTOBUF);
    if (message.getTime() != null) {
      event.setPublishedAt(Timestamps.fromMillis(message.getTime().toInstant().toEpochMilli()));
    }
    Headers headers = message.getHeaders();
    if (headers != null) {
      Map<String, String> extra = new TreeMap<>();
      for (String name : headers.keySet()) {
        String value = headers.getFirst(name);
        if (name.equalsIgnoreCase(MSG_ID)) {
          event.setEventId(value);
        } else if (name.equalsIgnoreCase(EVENT_TYPE_HEADER)) {
          event.setType(value);
        } else if (name.equalsIgnoreCase(WireHeaders.CONTENT_TYPE)) {
          event.setContentType(value);
        } else if (value != null) {
          extra.put(name, value);
        }
      }
      event.putAllHeaders(extra);
    }
    return event.build();
  }
}
