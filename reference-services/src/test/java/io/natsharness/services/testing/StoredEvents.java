package io.natsharness.services.testing;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Reads what a service stored in its domain's event stream, straight from JetStream. */
public final class StoredEvents {

  private StoredEvents() {}

  /** Every stored message on {@code subject} (wildcards allowed), in stream order; empty if no stream. */
  public static List<MessageInfo> all(JetStreamManagement jsm, String stream, String subject) {
    List<MessageInfo> found = new ArrayList<>();
    long next = 1;
    try {
      while (true) {
        MessageInfo message;
        try {
          message = jsm.getNextMessage(stream, next, subject);
        } catch (JetStreamApiException e) {
          return found; // no (further) message, or no stream
        }
        found.add(message);
        next = message.getSeq() + 1;
      }
    } catch (IOException e) {
      throw new IllegalStateException("JetStream did not answer", e);
    }
  }

  /** The Nats-Msg-Id of every stored message on {@code subject}. */
  public static List<String> ids(JetStreamManagement jsm, String stream, String subject) {
    return all(jsm, stream, subject).stream().map(m -> m.getHeaders().getFirst("Nats-Msg-Id")).toList();
  }

  /** The payload of the stored message with event id {@code eventId}, parsed. */
  public static <T extends Message> List<T> withId(JetStreamManagement jsm, String stream, String subject,
      String eventId, Parser<T> parser) {
    List<T> payloads = new ArrayList<>();
    for (MessageInfo message : all(jsm, stream, subject)) {
      if (eventId.equals(message.getHeaders().getFirst("Nats-Msg-Id"))) {
        try {
          payloads.add(parser.parseFrom(message.getData()));
        } catch (InvalidProtocolBufferException e) {
          throw new AssertionError("event " + eventId + " is not a " + parser, e);
        }
      }
    }
    return payloads;
  }
}
