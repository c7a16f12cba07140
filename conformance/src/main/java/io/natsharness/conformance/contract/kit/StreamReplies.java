package io.natsharness.conformance.contract.kit;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.rpc.Code;
import com.google.rpc.Status;
import io.natsharness.conformance.wire.ErrorReplies;
import io.natsharness.conformance.wire.WireReply;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.sdk.status.WireHeaders;
import java.util.ArrayList;
import java.util.List;

/**
 * The messages of one server stream, with the readings of WIRE.md's streaming rules.
 *
 * <pre>{@code
 * List<InferChunk> chunks = llm.call("infer_stream").stream(request, idle).chunks();
 * }</pre>
 *
 * @param method the streaming method
 * @param replies every message read, in order
 * @param ended whether the last one is an end message (normal or error)
 */
public record StreamReplies(MethodInfo method, List<WireReply> replies, boolean ended) {

  public StreamReplies {
    replies = List.copyOf(replies);
  }

  /**
   * Asserts a stream that ended normally: chunks numbered {@code Nh-Stream-Seq} 1, 2, 3, … without
   * gaps and without error headers, then one end message ({@code Nh-Stream-End: true}, no error
   * headers, empty body). Returns the chunks, parsed.
   */
  public <R extends Message> List<R> chunks() {
    assertThat(replies).as("messages of the stream of %s", method).isNotEmpty();
    assertThat(ended).as("the stream of %s ended with an end message (read %d messages)", method, replies.size())
        .isTrue();
    WireReply end = replies.get(replies.size() - 1);
    assertThat(end.isNoResponders()).as("no responders on %s", method).isFalse();
    if (end.isError()) {
      throw new AssertionError("the stream of " + method + " ended with " + end.statusHeader().map(Code::name)
          .orElse("an error") + " (" + end.status().getMessage() + ") after " + (replies.size() - 1) + " chunks");
    }
    assertThat(end.body()).as("body of the end message of %s", method).isEmpty();
    List<R> chunks = new ArrayList<>();
    for (int i = 0; i < replies.size() - 1; i++) {
      WireReply chunk = replies.get(i);
      assertThat(chunk.isError()).as("error headers on chunk %d of %s", i + 1, method).isFalse();
      assertThat(chunk.header(WireHeaders.STREAM_END)).as("Nh-Stream-End on chunk %d of %s", i + 1, method)
          .isEmpty();
      assertThat(chunk.header(WireHeaders.STREAM_SEQ)).as("Nh-Stream-Seq of chunk %d of %s", i + 1, method)
          .contains(Integer.toString(i + 1));
      chunks.add(parse(chunk));
    }
    return chunks;
  }

  /** Asserts that the very first message ends the stream with a well-formed error of {@code code}. */
  public Status assertFailedBeforeFirstChunk(Code code) {
    assertThat(replies).as("messages of the stream of %s", method).isNotEmpty();
    WireReply first = replies.get(0);
    if (!first.isError()) {
      throw new AssertionError("the stream of " + method + " began with "
          + (first.isNoResponders() ? "no responders" : "a chunk") + " where the contract says " + code);
    }
    assertThat(replies).as("messages of a stream that failed at once (%s)", method).hasSize(1);
    return ErrorReplies.assertError(first, code);
  }

  @SuppressWarnings("unchecked")
  private <R extends Message> R parse(WireReply chunk) {
    try {
      return (R) method.responsePrototype().getParserForType().parseFrom(chunk.body());
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("a chunk of " + method + " is not a " + method.responseType().getFullName(), e);
    }
  }
}
