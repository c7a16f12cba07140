package io.natsharness.proto.diff;

import com.google.protobuf.Message;
import com.google.rpc.Code;
import com.google.rpc.Status;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one side answered to one request: a message, an error status, a server stream (its
 * messages, then its end or its error), or a body that could not be read as the method's type.
 * Errors are answers in their own right, so an error on one side and a message on the other, or
 * two different codes, are differences like any other.
 *
 * <pre>{@code
 * Answer legacy = AnswerJson.read(method.responseType(), httpBody);   // proto3 JSON into the type
 * Answer nats = Answer.of(response);
 * Answer refused = Answer.error(Code.NOT_FOUND, "no wallet wal-1");
 * Answer chunks = Answer.stream(List.of(first, second));
 * }</pre>
 */
public sealed interface Answer permits Answer.Success, Answer.Failure, Answer.Stream, Answer.Unreadable {

  /**
   * A response message.
   *
   * @param message the response
   * @param unknownFields fields the side sent that the schema does not have, by path (JSON
   *     names as sent, or {@code #<number>} from binary), with their values as JSON
   */
  record Success(Message message, Map<String, String> unknownFields) implements Answer {
    public Success {
      Objects.requireNonNull(message, "message");
      unknownFields = Map.copyOf(unknownFields);
    }

    @Override
    public Code code() {
      return Code.OK;
    }
  }

  /** An error, as the {@code google.rpc.Status} the side sent (code, message, details). */
  record Failure(Status status) implements Answer {
    public Failure {
      Objects.requireNonNull(status, "status");
    }

    @Override
    public Code code() {
      Code code = Code.forNumber(status.getCode());
      return code == null ? Code.UNKNOWN : code;
    }

    public String message() {
      return status.getMessage();
    }
  }

  /**
   * A server stream: the messages in order, then either the end marker or an error.
   *
   * @param messages the messages received, in order
   * @param error the error that ended the stream; empty when it ended normally
   */
  record Stream(List<Message> messages, Optional<Status> error) implements Answer {
    public Stream {
      messages = List.copyOf(messages);
      Objects.requireNonNull(error, "error");
    }

    @Override
    public Code code() {
      return error.map(s -> Optional.ofNullable(Code.forNumber(s.getCode())).orElse(Code.UNKNOWN)).orElse(Code.OK);
    }
  }

  /**
   * A body that is not an answer of the method's type (malformed JSON, a value of the wrong
   * type, an HTML error page).
   *
   * @param problem why it could not be read
   * @param content the body, shortened
   */
  record Unreadable(String problem, String content) implements Answer {
    public Unreadable {
      Objects.requireNonNull(problem, "problem");
      content = Rendering.shorten(Objects.requireNonNull(content, "content"));
    }

    @Override
    public Code code() {
      return Code.UNKNOWN;
    }
  }

  /** The canonical code of the outcome: OK for a message or a stream that ended normally. */
  Code code();

  /** A response message; unknown fields of the binary encoding are kept as {@code #<number>} paths. */
  static Success of(Message message) {
    return new Success(message, UnknownFields.ofBinary(message));
  }

  static Failure error(Code code, String message) {
    return new Failure(Status.newBuilder().setCode(code.getNumber()).setMessage(message).build());
  }

  static Failure error(Status status) {
    return new Failure(status);
  }

  /** A stream that ended normally. */
  static Stream stream(List<? extends Message> messages) {
    return new Stream(List.copyOf(messages), Optional.empty());
  }

  /** A stream that ended with an error after {@code messages}. */
  static Stream stream(List<? extends Message> messages, Status error) {
    return new Stream(List.copyOf(messages), Optional.of(error));
  }

  static Unreadable unreadable(String problem, String content) {
    return new Unreadable(problem, content);
  }
}
