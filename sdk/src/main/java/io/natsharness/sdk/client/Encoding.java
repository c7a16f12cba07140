package io.natsharness.sdk.client;

import io.natsharness.sdk.status.WireHeaders;

/**
 * Body encoding of a request (the reply uses the same).
 *
 * <pre>{@code
 * CallOptions.builder().encoding(Encoding.JSON).build();
 * }</pre>
 */
public enum Encoding {
  /** Protobuf binary, {@code application/protobuf} (the default). */
  PROTOBUF(WireHeaders.APPLICATION_PROTOBUF),
  /** Proto3 canonical JSON, {@code application/json}. */
  JSON(WireHeaders.APPLICATION_JSON);

  private final String contentType;

  Encoding(String contentType) {
    this.contentType = contentType;
  }

  /** The Content-Type header value. */
  public String contentType() {
    return contentType;
  }
}
