package io.natsharness.services.util.kit;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;
import io.natsharness.proto.common.v1.RecordMeta;
import io.natsharness.sdk.status.RpcException;
import java.util.Base64;
import java.util.Map;

/**
 * How records live in Redis hashes: plain fields for what Lua scripts compare or count
 * ({@code version}, {@code created_ms}, {@code updated_ms}), and the rest as a base64 protobuf
 * field, since the shared connection speaks UTF-8 strings.
 *
 * <pre>{@code
 * Map<String, String> hash = redis.hgetall(key);
 * Fact fact = Records.decode(hash.get("body"), Fact.parser()).toBuilder()
 *     .setMeta(Records.meta(hash)).build();
 * }</pre>
 */
public final class Records {

  private Records() {}

  /** A protobuf message as base64 text. */
  public static String encode(Message message) {
    return Base64.getEncoder().encodeToString(message.toByteArray());
  }

  /** A message from base64 text; a damaged record is DATA_LOSS, never a stack trace. */
  public static <T extends Message> T decode(String base64, Parser<T> parser) {
    if (base64 == null) {
      throw RpcException.dataLoss("a stored record is incomplete");
    }
    try {
      return parser.parseFrom(Base64.getDecoder().decode(base64));
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      throw RpcException.dataLoss("a stored record cannot be read");
    }
  }

  /** RecordMeta from the hash's {@code version}, {@code created_ms} and {@code updated_ms} fields. */
  public static RecordMeta meta(Map<String, String> hash) {
    return meta(parseLong(hash.get("version")), parseLong(hash.get("created_ms")),
        parseLong(hash.get("updated_ms")));
  }

  /** RecordMeta from its three values. */
  public static RecordMeta meta(long version, long createdMs, long updatedMs) {
    return RecordMeta.newBuilder().setVersion(version).setCreatedAt(timestamp(createdMs))
        .setUpdatedAt(timestamp(updatedMs)).build();
  }

  /** A Timestamp from epoch milliseconds. */
  public static Timestamp timestamp(long epochMillis) {
    return Timestamps.fromMillis(epochMillis);
  }

  /** A stored number; absent or damaged is DATA_LOSS. */
  public static long parseLong(String value) {
    if (value == null) {
      throw RpcException.dataLoss("a stored record is incomplete");
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw RpcException.dataLoss("a stored record holds a malformed number");
    }
  }
}
