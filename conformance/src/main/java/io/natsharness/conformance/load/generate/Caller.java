package io.natsharness.conformance.load.generate;

import java.util.concurrent.CompletableFuture;

/**
 * Sends request number {@code sequence} of a run and completes when its answer is in. It must not
 * block: the open-loop generator calls it from its one scheduling thread at the intended instants.
 * Every future must complete (transports give each call a timeout); a caller that throws is
 * counted as an unanswered request.
 *
 * <pre>{@code
 * Caller echo = seq -> nats.requestWithTimeout("echo", body, Duration.ofSeconds(5))
 *     .handle((reply, error) -> error == null ? Outcome.OK : Outcome.noAnswer("DEADLINE_EXCEEDED"));
 * }</pre>
 */
@FunctionalInterface
public interface Caller {

  CompletableFuture<Outcome> call(long sequence);
}
