package io.natsharness.gateway.shadow;

import io.natsharness.gateway.metrics.GatewayMetrics;
import com.google.protobuf.Message;
import io.natsharness.gateway.traffic.ObservationLine;
import io.natsharness.gateway.traffic.TrafficRecord;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.diff.Answer;
import io.natsharness.proto.diff.AnswerJson;
import io.natsharness.proto.diff.DiffRules;
import io.natsharness.proto.diff.Difference;
import io.natsharness.proto.diff.MessageDiff;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pairs the two answers of each SHADOW request, compares them when both are in, and records the
 * outcome with the shared comparison engine ({@link MessageDiff}, the one the shadow suite uses):
 * a count per route and result, a count per route and differing field, one log line per
 * differing field with the request id, and an optional listener. At most {@code maxInFlight}
 * mirrors run at once; beyond that a request is served by legacy alone and counted as skipped, so
 * shadowing can never slow the request path or grow memory without bound.
 *
 * <pre>{@code
 * ShadowRecorder shadow = new ShadowRecorder(metrics, 64, result -> {}, ShadowFiles.none());
 * shadow.begin(method, "req-1", DiffRules.none(), natsRequest, () -> trafficRecord).ifPresent(m -> {
 *   m.nats(natsAnswerFuture);
 *   m.legacy(legacyAnswer);
 * });
 * }</pre>
 */
public final class ShadowRecorder implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ShadowRecorder.class);

  private final GatewayMetrics metrics;
  private final Semaphore slots;
  private final Consumer<ShadowResult> listener;
  private final ShadowFiles files;

  public ShadowRecorder(GatewayMetrics metrics, int maxInFlight, Consumer<ShadowResult> listener, ShadowFiles files) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.slots = new Semaphore(maxInFlight);
    this.listener = Objects.requireNonNull(listener, "listener");
    this.files = Objects.requireNonNull(files, "files");
  }

  /** True when mirrored requests are recorded to a traffic file (the caller then builds records). */
  public boolean recording() {
    return files.recording();
  }

  /**
   * Starts a comparison, or records it as skipped (overload) and returns empty. A started one is
   * appended to the recording, if any ({@code request} is only read then).
   */
  public Optional<Mirror> begin(MethodInfo method, String requestId, DiffRules rules, Message natsRequest,
      java.util.function.Supplier<TrafficRecord> request) {
    if (!slots.tryAcquire()) {
      record(new ShadowResult(method.subject(), requestId, List.of(), Optional.of("overload")));
      return Optional.empty();
    }
    if (files.recording()) {
      files.record(request.get());
    }
    return Optional.of(new Mirror(method, requestId, rules, natsRequest));
  }

  /** Records a request that could not be mirrored at all. */
  public void skip(String route, String requestId, String reason) {
    record(new ShadowResult(route, requestId, List.of(), Optional.of(reason)));
  }

  private void record(ShadowResult r) {
    if (r.skipped().isPresent()) {
      metrics.shadowCompared(r.route(), "skipped");
      LOG.debug("shadow skipped route={} request_id={} reason={}", r.route(), r.requestId(), r.skipped().get());
    } else if (r.differences().isEmpty()) {
      metrics.shadowCompared(r.route(), "match");
    } else {
      metrics.shadowCompared(r.route(), "mismatch");
      for (Difference d : r.differences()) {
        metrics.shadowMismatch(r.route(), d.field());
        LOG.warn("shadow mismatch route={} request_id={} field={} kind={} legacy={} nats={}",
            r.route(), r.requestId(), d.path(), d.kind(), d.primaryValue(), d.candidateValue());
      }
    }
    try {
      listener.accept(r);
    } catch (RuntimeException e) {
      LOG.warn("shadow listener failed", e);
    }
  }

  @Override
  public void close() {
    files.close();
  }

  /** One request's pair of answers. Each side is given once; the comparison runs when both are. */
  public final class Mirror {
    private final MethodInfo method;
    private final String route;
    private final String requestId;
    private final DiffRules rules;
    private final Message request;
    private final CompletableFuture<Answer> legacy = new CompletableFuture<>();
    private final CompletableFuture<Answer> nats = new CompletableFuture<>();
    private final AtomicBoolean done = new AtomicBoolean();

    private Mirror(MethodInfo method, String requestId, DiffRules rules, Message request) {
      this.request = request;
      this.method = method;
      this.route = method.subject();
      this.requestId = requestId;
      this.rules = rules;
      legacy.thenAcceptBoth(nats, this::compare);
    }

    /** The NATS side, when it arrives. */
    public void nats(CompletableFuture<Answer> answer) {
      answer.whenComplete((a, e) -> {
        if (e != null) {
          skip("nats side failed: " + e.getMessage());
        } else {
          nats.complete(a);
        }
      });
    }

    /** The legacy side. */
    public void legacy(Answer answer) {
      legacy.complete(answer);
    }

    /** Gives up on this comparison (e.g. the legacy answer was too large to keep). */
    public void skip(String reason) {
      if (done.compareAndSet(false, true)) {
        slots.release();
        record(new ShadowResult(route, requestId, List.of(), Optional.of(reason)));
      }
    }

    private void compare(Answer legacyAnswer, Answer natsAnswer) {
      if (!done.compareAndSet(false, true)) {
        return;
      }
      slots.release();
      List<Difference> diffs;
      try {
        diffs = MessageDiff.compare(method, legacyAnswer, natsAnswer, rules);
      } catch (RuntimeException e) {
        record(new ShadowResult(route, requestId, List.of(), Optional.of("comparison failed: " + e.getMessage())));
        return;
      }
      if (files.observing()) {
        files.observe(new ObservationLine(Instant.now(), route, requestId, AnswerJson.write(request), legacyAnswer,
            natsAnswer, diffs));
      }
      record(new ShadowResult(route, requestId, diffs, Optional.empty()));
    }
  }
}
