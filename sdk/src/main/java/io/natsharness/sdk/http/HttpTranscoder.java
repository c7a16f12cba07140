package io.natsharness.sdk.http;

import com.google.protobuf.Message;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.sdk.status.RpcException;
import java.util.List;
import java.util.Map;

/**
 * HTTP/JSON ↔ protobuf per the {@code google.api.http} rules, shared by the services' legacy HTTP
 * side and the gateway (plain Java types; no HTTP server here).
 *
 * <pre>{@code
 * HttpTranscoder http = new HttpTranscoder();
 * Message request = http.decodeRequest(method, Map.of("wallet_id", "wal-1"), query, body);
 * String json = http.encodeJson(response);
 * }</pre>
 */
public final class HttpTranscoder {

  public HttpTranscoder() {}

  /** A transcoder with the default settings. */
  public static HttpTranscoder create() {
    return new HttpTranscoder();
  }

  /**
   * Builds the request message of {@code method} from path variables, query parameters and body.
   *
   * @throws RpcException INVALID_ARGUMENT naming the field for unknown or malformed input
   */
  public Message decodeRequest(MethodInfo method, Map<String, String> pathVariables,
      Map<String, List<String>> query, byte[] body) {
    throw new UnsupportedOperationException("HttpTranscoder.decodeRequest is not implemented yet (issue 3, step 3)");
  }

  /** The message as proto3 JSON. */
  public String encodeJson(Message message) {
    throw new UnsupportedOperationException("HttpTranscoder.encodeJson is not implemented yet (issue 3, step 3)");
  }

  /** The error as a {@code google.rpc.Status} in JSON. */
  public String errorJson(RpcException error) {
    throw new UnsupportedOperationException("HttpTranscoder.errorJson is not implemented yet (issue 3, step 3)");
  }

  /** The error an HTTP reply stands for (its Status body when it has one). */
  public RpcException fromHttp(int status, byte[] body) {
    throw new UnsupportedOperationException("HttpTranscoder.fromHttp is not implemented yet (issue 3, step 3)");
  }
}
