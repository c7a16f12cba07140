package io.natsharness.services.game.kit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The system clock moved by an adjustable offset, so a test can let half an hour pass at once
 * (idle expiry) while everything else keeps running in real time.
 *
 * <pre>{@code
 * OffsetClock clock = new OffsetClock();
 * clock.advance(Duration.ofMinutes(31));
 * }</pre>
 */
public final class OffsetClock extends Clock {

  private final AtomicLong offsetMillis = new AtomicLong();

  public void advance(Duration by) {
    offsetMillis.addAndGet(by.toMillis());
  }

  public void reset() {
    offsetMillis.set(0);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("OffsetClock is UTC only");
  }

  @Override
  public Instant instant() {
    return Instant.now().plusMillis(offsetMillis.get());
  }
}
