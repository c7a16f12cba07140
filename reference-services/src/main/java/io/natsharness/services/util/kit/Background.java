package io.natsharness.services.util.kit;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One small shared scheduler (two daemon threads) for the periodic chores of the content and
 * util services (outbox sweeps, the time manager's phase watch), so a host running all of them
 * does not start a thread per service. Tasks are cancelled by their owners; daemon threads never
 * keep a JVM alive.
 *
 * <pre>{@code
 * ScheduledFuture<?> task = Background.scheduler().scheduleWithFixedDelay(chore, 1, 1, SECONDS);
 * task.cancel(false);
 * }</pre>
 */
public final class Background {

  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final ThreadFactory FACTORY = r -> {
    Thread t = new Thread(r, "services-background-" + THREADS.incrementAndGet());
    t.setDaemon(true);
    return t;
  };

  private Background() {}

  private static final class Holder {
    static final ScheduledExecutorService SCHEDULER = Executors.newScheduledThreadPool(2, FACTORY);
  }

  /** The shared scheduler; never shut it down. */
  public static ScheduledExecutorService scheduler() {
    return Holder.SCHEDULER;
  }
}
