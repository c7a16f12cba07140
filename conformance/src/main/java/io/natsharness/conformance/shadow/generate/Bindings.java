package io.natsharness.conformance.shadow.generate;

import com.google.protobuf.Message;
import io.natsharness.proto.diff.Answer;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One side's answers to the named steps of a scenario, so later requests use that side's own ids
 * (a token the primary issued is validated on the primary, the candidate's on the candidate).
 * Not thread safe: one per side and scenario.
 *
 * <pre>{@code
 * String walletId = bindings.get("wallet", Wallet.class).getWalletId();
 * }</pre>
 */
public final class Bindings {

  private final Map<String, Answer> answers = new HashMap<>();

  public void put(String name, Answer answer) {
    answers.put(name, answer);
  }

  public Optional<Answer> answer(String name) {
    return Optional.ofNullable(answers.get(name));
  }

  /**
   * The message a named step answered.
   *
   * @throws UnboundException when the step has not run or did not answer with a message of that type
   */
  public <T extends Message> T get(String name, Class<T> type) {
    Answer answer = answers.get(name);
    if (answer == null) {
      throw new UnboundException("step '" + name + "' has not answered on this side");
    }
    if (answer instanceof Answer.Success s && type.isInstance(s.message())) {
      return type.cast(s.message());
    }
    if (answer instanceof Answer.Stream s && !s.messages().isEmpty() && type.isInstance(s.messages().get(0))) {
      return type.cast(s.messages().get(0));
    }
    throw new UnboundException("step '" + name + "' answered " + answer.code() + " on this side, not a "
        + type.getSimpleName());
  }

  /** A request could not be built because an earlier step it needs failed on this side. */
  public static final class UnboundException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnboundException(String message) {
      super(message, null, false, false);
    }
  }
}
