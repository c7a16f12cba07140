package io.natsharness.conformance.wire;

import io.nats.client.impl.Headers;
import io.natsharness.sdk.status.WireHeaders;
import java.time.Instant;

/** Requests that speak the wire directly, with the headers of WIRE.md. */
public final class WireRequests {

  /**
   * Not a protobuf message: field 1, length-delimited, claims 127 bytes but carries 2. Every
   * protobuf parser refuses it, whatever the message type.
   */
  public static final byte[] MALFORMED_PROTOBUF = {0x0a, 0x7f, 0x01, 0x02};

  private WireRequests() {}

  /** Headers of a well-formed protobuf request with a 5 s deadline. */
  public static Headers headers() {
    Headers headers = new Headers();
    headers.put(WireHeaders.CONTENT_TYPE, WireHeaders.APPLICATION_PROTOBUF);
    headers.put(WireHeaders.NH_DEADLINE, Long.toString(Instant.now().plusSeconds(5).toEpochMilli()));
    return headers;
  }
}
