package io.natsharness.services.game.kit;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import com.google.protobuf.Timestamp;
import io.natsharness.sdk.status.RpcException;
import java.time.Instant;
import java.util.Base64;

/**
 * Protobuf messages as Redis string values (base64 of the binary encoding: compact, and a string
 * codec on the shared connection stays usable), and proto timestamps.
 *
 * <pre>{@code
 * redis.set(key, ProtoValues.encode(model));
 * Model back = ProtoValues.decode(Model.parser(), redis.get(key));
 * }</pre>
 */
public final class ProtoValues {

  private ProtoValues() {}

  public static String encode(Message message) {
    return Base64.getEncoder().encodeToString(message.toByteArray());
  }

  /** Parses a stored value; a value that does not parse is DATA_LOSS (the store was corrupted). */
  public static <M extends Message> M decode(Parser<M> parser, String stored) {
    try {
      return parser.parseFrom(Base64.getDecoder().decode(stored));
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      throw RpcException.dataLoss("a stored record is unreadable");
    }
  }

  public static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
  }

  public static Timestamp timestampOfMillis(long epochMillis) {
    return timestamp(Instant.ofEpochMilli(epochMillis));
  }
}
