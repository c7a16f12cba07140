package io.natsharness.conformance.load;

import io.natsharness.conformance.load.transport.TransportKind;
import java.util.List;

/**
 * The highest offered rate a method and transport sustained in a {@link MaxRateSearch}, with the
 * probes that found it.
 *
 * <pre>{@code
 * maxRate.rate();           // 7400.0, or 0 when even the first probe failed
 * maxRate.atLimit();        // true when the search stopped at its limit, not at a failure
 * }</pre>
 *
 * @param subject the method
 * @param transport the transport
 * @param rate the highest sustained offered rate, requests per second; 0 for none
 * @param atLimit whether every probe up to the search's limit passed (the true maximum is higher)
 * @param criterion what sustained means, in words
 * @param probes every probe, in the order run
 */
public record MaxRate(String subject, TransportKind transport, double rate, boolean atLimit, String criterion,
    List<LoadResult> probes) {

  public MaxRate {
    probes = List.copyOf(probes);
  }
}
