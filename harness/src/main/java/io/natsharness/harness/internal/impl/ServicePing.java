package io.natsharness.harness.internal.impl;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.natsharness.harness.internal.ready.Readiness;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits until services answer the ADR-32 {@code $SRV.PING.<name>} discovery request. */
final class ServicePing {

    private static final Duration PING_TIMEOUT = Duration.ofMillis(300);

    private ServicePing() {
    }

    /**
     * Returns when every service in {@code names} answered (any service at all when empty).
     *
     * @throws io.natsharness.harness.HarnessException naming the services that never answered
     */
    static void await(Connection nc, List<String> names, Duration timeout, String what, BooleanSupplier alive,
                      Supplier<String> log) {
        Set<String> missing = new LinkedHashSet<>(names);
        Readiness.await(what, () -> {
            if (missing.isEmpty() && names.isEmpty()) {
                ping(nc, "$SRV.PING");
                return;
            }
            for (String name : List.copyOf(missing)) {
                ping(nc, "$SRV.PING." + name);
                missing.remove(name);
            }
            if (!missing.isEmpty()) {
                throw new IllegalStateException("no answer on $SRV.PING from " + missing);
            }
        }, timeout, alive, log);
    }

    private static void ping(Connection nc, String subject) throws InterruptedException {
        Message reply;
        try {
            reply = nc.request(subject, new byte[0], PING_TIMEOUT);
        } catch (RuntimeException e) {
            // jnats reports "no responders" as an exception: nobody registered yet
            throw new IllegalStateException(subject + ": " + e.getMessage(), e);
        }
        if (reply == null || reply.isStatusMessage()) {
            throw new IllegalStateException(subject + ": no answer");
        }
    }
}
