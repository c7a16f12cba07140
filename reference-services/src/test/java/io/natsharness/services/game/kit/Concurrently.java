package io.natsharness.services.game.kit;

import io.natsharness.sdk.status.RpcException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Runs the same call from many threads released at once, and sorts the outcomes into successes
 * and RpcExceptions (anything else fails the test).
 *
 * <pre>{@code
 * Concurrently.Outcomes<Model> o = Concurrently.run(10, i -> models.call("set_status", deprecate));
 * assertThat(o.successes()).hasSize(1);
 * }</pre>
 */
public final class Concurrently {

  /** What the calls gave, in call order. */
  public record Outcomes<T>(List<Optional<T>> values, List<Optional<RpcException>> errors) {
    public List<T> successes() {
      return values.stream().flatMap(Optional::stream).toList();
    }

    public List<RpcException> failures() {
      return errors.stream().flatMap(Optional::stream).toList();
    }
  }

  private Concurrently() {}

  public static <T> Outcomes<T> run(int calls, IntFunction<T> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(calls, 32));
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        int index = i;
        futures.add(pool.submit(() -> {
          go.await();
          return call.apply(index);
        }));
      }
      go.countDown();
      List<Optional<T>> values = new ArrayList<>();
      List<Optional<RpcException>> errors = new ArrayList<>();
      for (Future<T> f : futures) {
        try {
          values.add(Optional.of(f.get(60, TimeUnit.SECONDS)));
          errors.add(Optional.empty());
        } catch (java.util.concurrent.ExecutionException e) {
          if (!(e.getCause() instanceof RpcException rpc)) {
            throw new AssertionError("a concurrent call failed unexpectedly", e.getCause());
          }
          values.add(Optional.empty());
          errors.add(Optional.of(rpc));
        }
      }
      return new Outcomes<>(values, errors);
    } finally {
      pool.shutdownNow();
    }
  }
}
