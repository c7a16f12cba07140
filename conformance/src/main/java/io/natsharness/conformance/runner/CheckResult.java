package io.natsharness.conformance.runner;

import java.time.Duration;

/**
 * The outcome of one check.
 *
 * @param id the check's id
 * @param service the catalog service, or empty
 * @param description what the check holds the implementation to
 * @param status how it ended
 * @param message the failure, skip or known-failure reason; empty when it passed
 * @param duration how long it ran
 */
public record CheckResult(
    String id, String service, String description, CheckStatus status, String message, Duration duration) {}
