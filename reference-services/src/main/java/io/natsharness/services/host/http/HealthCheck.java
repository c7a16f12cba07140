package io.natsharness.services.host.http;

import io.lettuce.core.api.StatefulRedisConnection;
import io.nats.client.Connection;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The connectivity the host depends on: NATS (the connection's status) and Redis (a PING
 * answered within a second).
 *
 * <pre>{@code
 * HealthCheck.Report report = new HealthCheck(nats, redis).check();
 * report.healthy();   // both up
 * report.toJson();    // {"status":"UP","nats":"UP","redis":"UP"}
 * }</pre>
 */
public final class HealthCheck {

  private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(1);

  private final Connection nats;
  private final StatefulRedisConnection<String, String> redis;

  public HealthCheck(Connection nats, StatefulRedisConnection<String, String> redis) {
    this.nats = nats;
    this.redis = redis;
  }

  /** What the host sees now. */
  public Report check() {
    boolean natsUp = nats.getStatus() == Connection.Status.CONNECTED;
    boolean redisUp;
    try {
      redisUp = "PONG".equals(redis.async().ping().get(REDIS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      redisUp = false;
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      redisUp = false;
    }
    return new Report(natsUp, redisUp, nats.getStatus().name());
  }

  /** One check's result. */
  public record Report(boolean natsUp, boolean redisUp, String natsStatus) {

    public boolean healthy() {
      return natsUp && redisUp;
    }

    /** 200 when healthy, else 503. */
    public int httpStatus() {
      return healthy() ? 200 : 503;
    }

    public String toJson() {
      return "{\"status\":\"" + up(healthy()) + "\",\"nats\":\"" + up(natsUp) + "\",\"nats_status\":\""
          + natsStatus + "\",\"redis\":\"" + up(redisUp) + "\"}";
    }

    private static String up(boolean up) {
      return up ? "UP" : "DOWN";
    }
  }
}
