package io.natsharness.conformance.shadow.sides;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Message;
import com.google.rpc.Code;
import com.google.rpc.Status;
import io.natsharness.conformance.shadow.generate.StreamRead;
import io.natsharness.proto.diff.Answer;
import io.natsharness.proto.diff.AnswerJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads a Server-Sent Events stream of the legacy HTTP side ({@code event: message} per chunk,
 * {@code event: end} or {@code event: error} with a {@code google.rpc.Status}) as a stream answer,
 * until its end, the wanted number of messages, or the deadline.
 */
final class SseReader {

  /** Readers run here, so the caller can stop waiting at the deadline even if a read never returns. */
  private static final ExecutorService READERS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "shadow-sse-reader");
    t.setDaemon(true);
    return t;
  });

  private SseReader() {}

  /**
   * Reads the stream. At the deadline the caller stops waiting, closes the body (which frees the
   * reader on a socket) and answers what arrived so far with DEADLINE_EXCEEDED.
   */
  static Answer read(InputStream body, Descriptor type, StreamRead read, Instant deadline) {
    List<Message> messages = java.util.Collections.synchronizedList(new ArrayList<>());
    Future<Answer> reader = READERS.submit(() -> parse(body, type, read, messages));
    try {
      return reader.get(Math.max(1, Duration.between(Instant.now(), deadline).toMillis()), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      reader.cancel(true);
      closeQuietly(body);
      return Answer.stream(copy(messages), status(Code.DEADLINE_EXCEEDED, "the stream passed its deadline"));
    } catch (ExecutionException e) {
      return Answer.stream(copy(messages), status(Code.UNAVAILABLE, "the HTTP stream broke: " + e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeQuietly(body);
      return Answer.stream(copy(messages), status(Code.CANCELLED, "interrupted"));
    }
  }

  private static List<Message> copy(List<Message> messages) {
    synchronized (messages) {
      return List.copyOf(messages);
    }
  }

  private static Answer parse(InputStream body, Descriptor type, StreamRead read, List<Message> messages) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String event = "message";
      StringBuilder data = new StringBuilder();
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isEmpty()) {
          if (data.length() > 0 || !event.equals("message")) {
            Answer done = dispatch(event, data.toString(), type, messages);
            if (done != null) {
              return done;
            }
            if (messages.size() >= read.maxMessages()) {
              return Answer.stream(copy(messages));
            }
          }
          event = "message";
          data.setLength(0);
        } else if (line.startsWith("event:")) {
          event = line.substring(6).strip();
        } else if (line.startsWith("data:")) {
          data.append(data.length() == 0 ? "" : "\n").append(line.substring(5).startsWith(" ")
              ? line.substring(6) : line.substring(5));
        }
      }
      return Answer.stream(copy(messages), status(Code.UNAVAILABLE, "the HTTP stream ended without an end event"));
    } catch (IOException e) {
      return Answer.stream(copy(messages), status(Code.UNAVAILABLE, "the HTTP stream broke: " + e.getMessage()));
    }
  }

  /** Null to go on reading; else the stream's answer. */
  private static Answer dispatch(String event, String data, Descriptor type, List<Message> messages) {
    switch (event) {
      case "message" -> {
        Answer chunk = AnswerJson.read(type, data);
        if (chunk instanceof Answer.Success s) {
          messages.add(s.message());
          return null;
        }
        return chunk; // an unreadable chunk makes the whole stream unreadable
      }
      case "end" -> {
        return Answer.stream(copy(messages));
      }
      case "error" -> {
        Answer error = AnswerJson.readError(data);
        return error instanceof Answer.Failure f ? Answer.stream(copy(messages), f.status())
            : Answer.stream(copy(messages), status(Code.UNKNOWN, "an error event without a status: " + data));
      }
      default -> {
        return null; // comments, unknown events: ignored as SSE says
      }
    }
  }

  private static Status status(Code code, String message) {
    return Status.newBuilder().setCode(code.getNumber()).setMessage(message).build();
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // closing to unblock the reader; nothing else to do
    }
  }
}
