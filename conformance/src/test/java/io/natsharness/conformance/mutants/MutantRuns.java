package io.natsharness.conformance.mutants;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.natsharness.conformance.ConformanceSuite;
import io.natsharness.conformance.runner.CheckResult;
import io.natsharness.conformance.runner.CheckRunner;
import io.natsharness.conformance.runner.RunResult;
import io.natsharness.conformance.target.TargetContext;
import io.natsharness.harness.Backend;
import io.natsharness.harness.NatsHarness;
import io.natsharness.harness.NatsHarnessExtension;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the suite against mutants on one shared embedded environment (NATS with JetStream, Redis):
 * each mutant is started, held to every check of the service it breaks, and stopped. Runs go
 * side by side when they host disjoint services; two runs that host the same service never overlap,
 * or they would share its queue group and answer each other's requests.
 *
 * <pre>{@code
 * try (MutantRuns runs = MutantRuns.start(3, System.out)) {
 *   RunResult result = runs.submit(mutant).join();
 * }
 * }</pre>
 */
final class MutantRuns implements AutoCloseable {

  private final NatsHarness env;
  private final Connection nats;
  private final ExecutorService workers;
  private final PrintStream out;
  private final AtomicInteger runIds = new AtomicInteger();
  /** Services hosted by a run in progress. */
  private final Set<String> busy = new HashSet<>();
  private final List<Pending> pending = new ArrayList<>();

  private record Pending(Mutant mutant, CompletableFuture<RunResult> result) {}

  private MutantRuns(NatsHarness env, Connection nats, int parallelism, PrintStream out) {
    this.env = env;
    this.nats = nats;
    this.out = out;
    this.workers = Executors.newFixedThreadPool(parallelism, r -> {
      Thread t = new Thread(r, "mutant-run");
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts the environment; at most {@code parallelism} runs go at once. */
  static MutantRuns start(int parallelism, PrintStream out) throws Exception {
    NatsHarness env = NatsHarness.start(NatsHarnessExtension.builder().withBackend(Backend.EMBEDDED));
    try {
      return new MutantRuns(env, Nats.connect(env.info().natsOptions().reportNoResponders().build()), parallelism,
          out);
    } catch (Exception e) {
      env.close();
      throw e;
    }
  }

  /** Queues the run of a mutant; the result completes when its run is done. */
  synchronized CompletableFuture<RunResult> submit(Mutant mutant) {
    CompletableFuture<RunResult> result = new CompletableFuture<>();
    pending.add(new Pending(mutant, result));
    workers.execute(this::runNext);
    return result;
  }

  /** Takes the first queued run whose services are free, runs it, frees them. */
  private void runNext() {
    Pending next;
    synchronized (this) {
      while ((next = firstRunnable()) == null) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      pending.remove(next);
      busy.addAll(next.mutant().hosted());
    }
    try {
      next.result().complete(run(next.mutant()));
    } catch (Throwable t) {
      next.result().completeExceptionally(t);
    } finally {
      synchronized (this) {
        busy.removeAll(next.mutant().hosted());
        notifyAll();
      }
    }
  }

  private Pending firstRunnable() {
    return pending.stream().filter(p -> Collections.disjoint(busy, p.mutant().hosted())).findFirst().orElse(null);
  }

  private RunResult run(Mutant mutant) throws Exception {
    String runId = "m" + runIds.incrementAndGet() + "x" + Long.toString(System.currentTimeMillis(), 36);
    try (AutoCloseable running = env.startAnother(mutant.implementation());
        TargetContext context = new TargetContext(new SharedTarget(env, nats, mutant.implementation()), runId,
            Duration.ofSeconds(5))) {
      RunResult result = CheckRunner.builder().withCheckTimeout(Duration.ofSeconds(20)).build()
          .run(ConformanceSuite.NAME, mutant.name(), SuiteChecks.forService(mutant.service()), context);
      report(mutant, result);
      return result;
    }
  }

  private void report(Mutant mutant, RunResult result) {
    StringBuilder text = new StringBuilder().append(String.format("%-40s %-24s %s in %d ms%n", mutant.name(),
        mutant.service(), result.summary(), result.duration().toMillis()));
    for (CheckResult r : result.results()) {
      if (r.status().failsRun()) {
        text.append("    ").append(r.id()).append(": ").append(r.message().strip().lines().findFirst().orElse(""))
            .append('\n');
      }
    }
    synchronized (out) {
      out.print(text);
    }
  }

  @Override
  public void close() {
    workers.shutdownNow();
    try {
      nats.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      env.close();
    }
  }
}
