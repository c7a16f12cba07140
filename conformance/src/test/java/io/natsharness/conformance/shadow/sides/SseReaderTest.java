package io.natsharness.conformance.shadow.sides;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import io.natsharness.conformance.shadow.generate.StreamRead;
import io.natsharness.proto.ai.llm.v1.InferChunk;
import io.natsharness.proto.diff.Answer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("SseReader")
@Timeout(20)
class SseReaderTest {

  private static InputStream sse(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  private static Answer read(InputStream in, StreamRead read) {
    return SseReader.read(in, InferChunk.getDescriptor(), read, Instant.now().plusSeconds(5));
  }

  @Test
  @DisplayName("message events are the stream's messages, in order, until the end event")
  void messagesUntilEnd() {
    Answer a = read(sse("id: 1\nevent: message\ndata: {\"text\":\"Hel\",\ndata: \"index\":0}\n\n"
        + ": a comment\n\nid: 2\nevent: message\ndata: {\"text\":\"lo\",\"index\":1}\n\nevent: end\ndata: {}\n\n"), StreamRead.ALL);
    assertThat(a).isEqualTo(Answer.stream(List.of(InferChunk.newBuilder().setText("Hel").setIndex(0).build(),
        InferChunk.newBuilder().setText("lo").setIndex(1).build())));
  }

  @Test
  @DisplayName("an error event ends the stream with its status")
  void errorEvent() {
    Answer a = read(sse("event: message\ndata: {\"text\":\"a\"}\n\nevent: error\ndata: {\"code\":14,\"message\":\"gone\"}\n\n"),
        StreamRead.ALL);
    assertThat(a).isInstanceOf(Answer.Stream.class);
    assertThat(((Answer.Stream) a).messages()).hasSize(1);
    assertThat(a.code()).isEqualTo(Code.UNAVAILABLE);
  }

  @Test
  @DisplayName("a body that stops without an end event is UNAVAILABLE")
  void cutOff() {
    Answer a = read(sse("event: message\ndata: {\"text\":\"a\"}\n\n"), StreamRead.ALL);
    assertThat(a.code()).isEqualTo(Code.UNAVAILABLE);
  }

  @Test
  @DisplayName("reading stops after the wanted number of messages")
  void firstMessages() {
    Answer a = read(sse("data: {\"index\":0}\n\ndata: {\"index\":1}\n\ndata: {\"index\":2}\n\n"), StreamRead.first(2));
    assertThat(a).isEqualTo(Answer.stream(List.of(InferChunk.newBuilder().setIndex(0).build(),
        InferChunk.newBuilder().setIndex(1).build())));
  }

  @Test
  @DisplayName("a stream that outlives its deadline is closed and answers DEADLINE_EXCEEDED, never hangs")
  void deadline() throws Exception {
    PipedOutputStream writer = new PipedOutputStream();
    PipedInputStream body = new PipedInputStream(writer);
    writer.write("data: {\"index\":0}\n\n".getBytes(StandardCharsets.UTF_8));
    writer.flush();
    long start = System.nanoTime();
    Answer a = SseReader.read(body, InferChunk.getDescriptor(), StreamRead.ALL, Instant.now().plusMillis(300));
    assertThat(a.code()).isEqualTo(Code.DEADLINE_EXCEEDED);
    assertThat(((Answer.Stream) a).messages()).hasSize(1);
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
    writer.close();
  }

  @Test
  @DisplayName("a chunk that is not the method's type makes the stream unreadable")
  void unreadableChunk() {
    Answer a = read(sse("data: {\"index\":\"many\"}\n\n"), StreamRead.ALL);
    assertThat(a).isInstanceOf(Answer.Unreadable.class);
  }
}
