package io.natsharness.services.game.kit;

import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes long-lived stream handlers when a Redis counter grows, whichever process wrote it.
 *
 * <p>Several hosts share a service's load, so a change made on one host must reach a stream
 * served by another. One daemon thread per signal polls the counter with a plain GET while anyone
 * waits (and stops after a few idle seconds), instead of each stream polling its own keys or
 * holding a blocking Redis command on the shared connection, which would stall every other
 * command multiplexed on it. Writes made in this process call {@link #advanceTo(long)} with the
 * value their INCR returned, so local waiters wake at once.
 *
 * <pre>{@code
 * ChangeSignal signal = new ChangeSignal(redis, ctx.key("world_state", "seq"), Duration.ofMillis(25));
 * long seen = signal.read();
 * ... read the changes up to `seen` ...
 * seen = signal.awaitAbove(seen, Duration.ofSeconds(1));
 * }</pre>
 */
public final class ChangeSignal {

  private static final Logger LOG = LoggerFactory.getLogger(ChangeSignal.class);
  private static final long IDLE_STOP_NANOS = TimeUnit.SECONDS.toNanos(5);

  private final RedisCommands<String, String> redis;
  private final String counterKey;
  private final long pollNanos;
  private final Object lock = new Object();
  private long value;
  private int waiters;
  private boolean polling;

  public ChangeSignal(RedisCommands<String, String> redis, String counterKey, Duration pollInterval) {
    this.redis = Objects.requireNonNull(redis, "redis");
    this.counterKey = Objects.requireNonNull(counterKey, "counterKey");
    this.pollNanos = pollInterval.toNanos();
  }

  /** The counter as Redis holds it now (0 when unset). */
  public long read() {
    long now = fetch();
    advanceTo(now);
    return now;
  }

  /** Records a value this process wrote; wakes local waiters when it grew. */
  public void advanceTo(long newValue) {
    synchronized (lock) {
      if (newValue > value) {
        value = newValue;
        lock.notifyAll();
      }
    }
  }

  /**
   * Waits until the counter is above {@code seen}, at most {@code timeout}.
   *
   * @return the latest value known (at most {@code seen} when the wait timed out)
   */
  public long awaitAbove(long seen, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
    synchronized (lock) {
      waiters++;
      try {
        startPollerIfNeeded();
        while (value <= seen) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            break;
          }
          TimeUnit.NANOSECONDS.timedWait(lock, left);
        }
        return value;
      } finally {
        waiters--;
      }
    }
  }

  private void startPollerIfNeeded() {
    if (!polling) {
      polling = true;
      Thread t = new Thread(this::poll, "change-signal-" + counterKey);
      t.setDaemon(true);
      t.start();
    }
  }

  private void poll() {
    long idleSince = System.nanoTime();
    try {
      while (true) {
        synchronized (lock) {
          if (waiters > 0) {
            idleSince = System.nanoTime();
          } else if (System.nanoTime() - idleSince > IDLE_STOP_NANOS) {
            polling = false;
            return;
          }
        }
        try {
          advanceTo(fetch());
        } catch (RuntimeException e) {
          // Redis may be briefly away (restart, failover): keep the waiters on their timeouts.
          LOG.debug("polling {} failed: {}", counterKey, e.toString());
        }
        TimeUnit.NANOSECONDS.sleep(pollNanos);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      synchronized (lock) {
        polling = false;
      }
    }
  }

  private long fetch() {
    String raw = redis.get(counterKey);
    return raw == null ? 0 : Long.parseLong(raw);
  }
}
