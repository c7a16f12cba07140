package io.natsharness.sdk.context;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The deadline of the current request, carried in OpenTelemetry's {@link Context} next to the
 * trace, so that a downstream call made while a handler runs inherits it.
 *
 * <p>Deadlines only shrink: {@link #withDeadline(Instant)} makes current the earlier of the given
 * instant and the one already current, so a nested scope can never extend its caller's budget.
 *
 * <pre>{@code
 * try (Scope ignored = Deadlines.withDeadline(Instant.now().plusSeconds(2))) {
 *   client.call(subject, request); // carries Nh-Deadline = now + 2 s (or earlier if inherited)
 * }
 * Deadlines.current(); // Optional.empty() outside any scope
 * }</pre>
 */
public final class Deadlines {

  private static final ContextKey<Instant> KEY = ContextKey.named("natsharness-deadline");

  private Deadlines() {}

  /** The deadline of the current context, if one was set. */
  public static Optional<Instant> current() {
    return in(Context.current());
  }

  /** The deadline held by the given context, if any. */
  public static Optional<Instant> in(Context context) {
    return Optional.ofNullable(context.get(KEY));
  }

  /**
   * Makes current a context whose deadline is the earlier of {@code deadline} and the current one.
   * Close the returned scope (try-with-resources) to restore the previous context.
   */
  public static Scope withDeadline(Instant deadline) {
    return with(Context.current(), deadline).makeCurrent();
  }

  /** A context derived from {@code context} with the earlier of its deadline and {@code deadline}. */
  public static Context with(Context context, Instant deadline) {
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(deadline, "deadline");
    Instant inherited = context.get(KEY);
    Instant effective = inherited != null && inherited.isBefore(deadline) ? inherited : deadline;
    return context.with(KEY, effective);
  }

  /** The earlier of {@code own} and the current context's deadline. */
  public static Instant earliest(Instant own) {
    Objects.requireNonNull(own, "own");
    return current().filter(inherited -> inherited.isBefore(own)).orElse(own);
  }
}
