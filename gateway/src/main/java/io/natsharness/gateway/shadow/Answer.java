package io.natsharness.gateway.shadow;

import com.google.protobuf.Message;
import com.google.rpc.Code;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of one call on one side (legacy HTTP or NATS): a response message or an error.
 *
 * <pre>{@code
 * Answer legacy = new Answer.Success(response);
 * Answer nats = new Answer.Failure(Code.NOT_FOUND, "no wallet wal-1");
 * Answer.compare(legacy, nats, DescriptorComparator.exact()); // [status: expected OK, got NOT_FOUND]
 * }</pre>
 */
public sealed interface Answer {

  /** A response message. */
  record Success(Message message) implements Answer {
    public Success {
      Objects.requireNonNull(message, "message");
    }
  }

  /** An error with its canonical code. */
  record Failure(Code code, String message) implements Answer {
    public Failure {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
    }
  }

  /**
   * Compares two answers: two successes field by field with {@code comparator}; two errors by
   * code (the wording of messages may differ); a success against an error by outcome.
   */
  static List<FieldDifference> compare(Answer expected, Answer actual, ResponseComparator comparator) {
    if (expected instanceof Success e && actual instanceof Success a) {
      return comparator.compare(e.message(), a.message());
    }
    if (expected instanceof Failure e && actual instanceof Failure a) {
      return e.code() == a.code() ? List.of()
          : List.of(new FieldDifference("status.code", e.code().name(), a.code().name()));
    }
    return List.of(new FieldDifference("status", outcome(expected), outcome(actual)));
  }

  private static String outcome(Answer answer) {
    return answer instanceof Failure f ? f.code().name() : "OK";
  }
}
