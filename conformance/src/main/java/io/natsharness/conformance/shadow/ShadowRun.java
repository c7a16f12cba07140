package io.natsharness.conformance.shadow;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.Code;
import io.natsharness.conformance.shadow.generate.Bindings;
import io.natsharness.conformance.shadow.generate.Scenario;
import io.natsharness.conformance.shadow.generate.Step;
import io.natsharness.conformance.shadow.generate.StreamRead;
import io.natsharness.conformance.shadow.report.Observation;
import io.natsharness.conformance.shadow.report.ShadowTally;
import io.natsharness.conformance.shadow.sides.Call;
import io.natsharness.conformance.shadow.sides.ShadowSide;
import io.natsharness.conformance.shadow.traffic.HttpForm;
import io.natsharness.conformance.shadow.traffic.HttpRequestEncoder;
import io.natsharness.conformance.shadow.traffic.Replay;
import io.natsharness.gateway.traffic.TrafficRecord;
import io.natsharness.gateway.traffic.TrafficWriter;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.diff.Answer;
import io.natsharness.proto.diff.DiffConfig;
import io.natsharness.proto.diff.DiffRules;
import io.natsharness.proto.diff.Difference;
import io.natsharness.proto.diff.IdMap;
import io.natsharness.proto.diff.MessageDiff;
import io.natsharness.proto.diff.TypeRegistries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Sends the same requests to the primary (legacy), the candidate (NATS) and the noise baseline,
 * one request at a time, and compares the answers into a {@link ShadowTally}.
 * Generated scenarios keep one set of {@link Bindings} per side, so each side's requests carry
 * that side's own ids; replayed traffic goes out as recorded.
 *
 * <pre>{@code
 * try (ShadowRun run = ShadowRun.builder().withPrimary(legacy).withSecondary(legacy2).withCandidate(nats)
 *     .withRules(DiffConfig.empty()).build()) {
 *   ShadowTally tally = run.generated(RequestGenerators.create().scenarios(Set.of(), 42, "nh"));
 *   ShadowReport report = tally.report(Thresholds.strict(), run.target(), "generated", run.noise().description(),
 *       started, run.warnings());
 * }
 * }</pre>
 */
public final class ShadowRun implements AutoCloseable {

  private static final JsonFormat.Printer REQUEST_JSON = JsonFormat.printer()
      .usingTypeRegistry(TypeRegistries.catalog()).omittingInsignificantWhitespace().preservingProtoFieldNames();

  private final ShadowSide primary;
  private final Optional<ShadowSide> secondary;
  private final ShadowSide candidate;
  private final NoiseSource noise;
  private final DiffConfig rules;
  private final Optional<TrafficWriter> recorder;
  private final Consumer<String> progress;
  private final Duration replayTimeout;
  private final StreamRead replayStreams;
  private final ExecutorService executor;
  private final List<String> warnings = new ArrayList<>();

  private ShadowRun(Builder b) {
    this.primary = b.primary;
    this.secondary = Optional.ofNullable(b.secondary);
    this.candidate = b.candidate;
    this.noise = b.secondary != null ? NoiseSource.SECONDARY : b.primaryTwice ? NoiseSource.PRIMARY_TWICE : NoiseSource.NONE;
    this.rules = b.rules;
    this.recorder = Optional.ofNullable(b.recorder);
    this.progress = b.progress;
    this.replayTimeout = b.replayTimeout;
    this.replayStreams = b.replayStreams;
    this.executor = Executors.newFixedThreadPool(3, r -> {
      Thread t = new Thread(r, "shadow-side-call");
      t.setDaemon(true);
      return t;
    });
  }

  public static Builder builder() {
    return new Builder();
  }

  public NoiseSource noise() {
    return noise;
  }

  /** The sides in words, for reports. */
  public String target() {
    return "primary " + primary.description() + secondary.map(s -> ", secondary " + s.description()).orElse("")
        + ", candidate " + candidate.description();
  }

  /** Problems with the requests themselves: a generated step whose primary answer is not the one expected. */
  public synchronized List<String> warnings() {
    return List.copyOf(warnings);
  }

  /** Runs generated scenarios, in order. */
  public ShadowTally generated(List<Scenario> scenarios) {
    ShadowTally tally = new ShadowTally();
    for (Scenario scenario : scenarios) {
      int before = tally.size();
      Map<String, Bindings> sides = Map.of("primary", new Bindings(), "secondary", new Bindings(), "candidate", new Bindings());
      IdMap candidateIds = IdMap.create();
      IdMap noiseIds = IdMap.create();
      List<Step> steps = scenario.steps();
      for (int i = 0; i < steps.size(); i++) {
        Step step = steps.get(i);
        String requestId = "shadow-" + Long.toString(scenario.seed(), 36) + "-" + (i + 1);
        Exchange exchange = new Exchange(step.method(), step.name(), requestId, step.idempotencyKey(), step.timeout(),
            step.read());
        Map<String, Answer> notSent = new java.util.HashMap<>();
        Optional<Message> p = build(step, "primary", sides, notSent);
        Optional<Message> s = build(step, "secondary", sides, notSent);
        Optional<Message> c = build(step, "candidate", sides, notSent);
        Answers answers = send(exchange, p, s, c, Optional.empty(), notSent);
        compare(exchange, p.map(ShadowRun::json).orElse("{}"), answers, candidateIds, noiseIds, tally);
        if (answers.primary.code() != step.expected()) {
          warn(scenario.service() + " step '" + step.name() + "': expected " + step.expected() + ", the primary answered "
              + answers.primary.code() + (answers.primary instanceof Answer.Failure f ? " (" + f.message() + ")" : ""));
        }
        p.ifPresent(request -> record(exchange, request));
        sides.get("primary").put(step.name(), answers.primary);
        answers.secondary.ifPresent(a -> sides.get("secondary").put(step.name(), a));
        sides.get("candidate").put(step.name(), answers.candidate);
      }
      progress.accept(scenario.service() + ": " + (tally.size() - before) + " requests compared");
    }
    return tally;
  }

  /** Replays recorded traffic, in order. */
  public ShadowTally replayed(Replay replay) {
    replay.warnings().forEach(this::warn);
    ShadowTally tally = new ShadowTally();
    IdMap candidateIds = IdMap.create();
    IdMap noiseIds = IdMap.create();
    for (Replay.Item item : replay.items()) {
      Optional<String> key = item.record().headers().entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase("Idempotency-Key")).map(Map.Entry::getValue).findFirst();
      Exchange exchange = new Exchange(item.method(), "record " + item.index(), item.record().requestId(), key,
          replayTimeout, replayStreams);
      Optional<Message> request = item.request();
      Optional<Answer> refused = item.refused().map(e -> Answer.error(e.status()));
      Answers answers = send(exchange, request, request, request, Optional.of(item.record()),
          refused.map(a -> Map.of("primary", a, "secondary", a, "candidate", a)).orElse(Map.of()));
      String requestJson = request.map(ShadowRun::json).orElse("{}");
      compare(exchange, requestJson, answers, candidateIds, noiseIds, tally);
    }
    progress.accept("replayed " + replay.items().size() + " records");
    return tally;
  }

  private record Exchange(MethodInfo method, String step, String requestId, Optional<String> key, Duration timeout,
      StreamRead read) {}

  private record Answers(Answer primary, Optional<Answer> secondary, Answer candidate) {}

  /** The side's request; when an earlier step it needs failed there, its "not sent" answer instead. */
  private static Optional<Message> build(Step step, String side, Map<String, Bindings> sides, Map<String, Answer> notSent) {
    try {
      return Optional.of(step.request(sides.get(side)));
    } catch (Bindings.UnboundException e) {
      notSent.put(side, Answer.error(Code.FAILED_PRECONDITION, "not sent: " + e.getMessage()));
      return Optional.empty();
    }
  }

  /**
   * Sends to the primary and the candidate at once, then, when both have answered, to the noise
   * baseline. The order matters: a timestamp the candidate writes lies within the primary's and
   * its own flight time, and the baseline's lies after both, so the primaries are always at least
   * as far apart by timing alone as the candidate can be. A side whose request is missing gets
   * its entry of {@code preset}; an HTTP side of a replay gets the record as it was.
   */
  private Answers send(Exchange x, Optional<Message> p, Optional<Message> s, Optional<Message> c,
      Optional<TrafficRecord> record, Map<String, Answer> preset) {
    CompletableFuture<Answer> first = call("primary", primary, x, p, record, preset);
    CompletableFuture<Answer> third = call("candidate", candidate, x, c, record, preset);
    CompletableFuture.allOf(first, third).join();
    Optional<Answer> second = switch (noise) {
      case SECONDARY -> Optional.of(call("secondary", secondary.orElseThrow(), x, s, record, preset).join());
      case PRIMARY_TWICE -> x.method().hasNoSideEffects()
          ? Optional.of(call("primary", primary, x, p, record, preset).join()) : Optional.empty();
      case NONE -> Optional.empty();
    };
    return new Answers(first.join(), second, third.join());
  }

  private CompletableFuture<Answer> call(String role, ShadowSide side, Exchange x, Optional<Message> request,
      Optional<TrafficRecord> record, Map<String, Answer> preset) {
    boolean asRecorded = record.isPresent() && side.speaksHttp();
    if (!asRecorded && (request.isEmpty() || preset.containsKey(role))) {
      return CompletableFuture.completedFuture(preset.getOrDefault(role,
          Answer.error(Code.FAILED_PRECONDITION, "not sent: no request for this side")));
    }
    Message message = request.orElseGet(() -> x.method().requestPrototype());
    Call call = new Call(x.method(), message, record.map(HttpForm::of), x.requestId(), x.key(), x.timeout(),
        x.read());
    return CompletableFuture.supplyAsync(() -> side.call(call), executor);
  }

  private void compare(Exchange x, String requestJson, Answers a, IdMap candidateIds, IdMap noiseIds, ShadowTally tally) {
    DiffRules methodRules = rules.rules(x.method().subject());
    List<Difference> diffs = MessageDiff.compare(x.method(), a.primary, a.candidate, methodRules, candidateIds);
    Optional<List<Difference>> noiseDiffs = a.secondary.map(s -> MessageDiff.compare(x.method(), a.primary, s,
        methodRules, noiseIds));
    tally.add(new Observation(x.method(), x.step(), x.requestId(), requestJson, a.primary, a.secondary, a.candidate,
        diffs, noiseDiffs));
  }

  private void record(Exchange x, Message request) {
    if (recorder.isEmpty()) {
      return;
    }
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    headers.put("Nh-Request-Id", x.requestId());
    x.key().ifPresent(k -> headers.put("Idempotency-Key", k));
    try {
      recorder.get().write(HttpRequestEncoder.encode(x.method(), request, headers).record(Instant.now(), x.requestId()));
    } catch (IllegalArgumentException noHttpForm) {
      warn("not recorded: " + x.step() + ": " + noHttpForm.getMessage());
    }
  }

  private synchronized void warn(String warning) {
    warnings.add(warning);
  }

  private static String json(Message m) {
    try {
      return REQUEST_JSON.print(m);
    } catch (InvalidProtocolBufferException e) {
      return "{}";
    }
  }

  /** Stops the call threads; the sides belong to the caller. */
  @Override
  public void close() {
    executor.shutdownNow();
  }

  /** Builds a {@link ShadowRun}: primary and candidate are required. */
  public static final class Builder {
    private ShadowSide primary;
    private ShadowSide secondary;
    private ShadowSide candidate;
    private boolean primaryTwice = true;
    private DiffConfig rules = DiffConfig.empty();
    private TrafficWriter recorder;
    private Consumer<String> progress = line -> { };
    private Duration replayTimeout = Duration.ofSeconds(10);
    private StreamRead replayStreams = StreamRead.first(20);

    private Builder() {}

    /** The legacy side whose answers are right by definition. */
    public Builder withPrimary(ShadowSide side) {
      this.primary = Objects.requireNonNull(side, "primary");
      return this;
    }

    /** A second deployment of the primary, with its own state, for the noise baseline. */
    public Builder withSecondary(ShadowSide side) {
      this.secondary = Objects.requireNonNull(side, "secondary");
      return this;
    }

    /** The side under test. */
    public Builder withCandidate(ShadowSide side) {
      this.candidate = Objects.requireNonNull(side, "candidate");
      return this;
    }

    /** Without a secondary: ask the primary twice for reads (default), or measure no noise at all. */
    public Builder withPrimaryTwice(boolean enabled) {
      this.primaryTwice = enabled;
      return this;
    }

    public Builder withRules(DiffConfig config) {
      this.rules = Objects.requireNonNull(config, "rules");
      return this;
    }

    /** Writes every generated request, in the primary's HTTP form, to a traffic file. */
    public Builder withRecorder(TrafficWriter writer) {
      this.recorder = Objects.requireNonNull(writer, "recorder");
      return this;
    }

    /** Receives one line per scenario. */
    public Builder withProgress(Consumer<String> lines) {
      this.progress = Objects.requireNonNull(lines, "progress");
      return this;
    }

    /** Deadline of each replayed request, and how many messages of a replayed stream are read. */
    public Builder withReplayLimits(Duration timeout, StreamRead streams) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("replay timeout must be positive: " + timeout);
      }
      this.replayTimeout = timeout;
      this.replayStreams = Objects.requireNonNull(streams, "streams");
      return this;
    }

    public ShadowRun build() {
      if (primary == null || candidate == null) {
        throw new IllegalStateException("a shadow run needs a primary and a candidate: call withPrimary(..) and withCandidate(..)");
      }
      return new ShadowRun(this);
    }
  }
}
