package io.natsharness.containers;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamOptions;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;

/**
 * Ready when a real jnats client connects to the {@link NatsContainer} and, with JetStream on,
 * JetStream answers an account-info request (in a cluster: once a meta leader is elected).
 *
 * <p>Without client credentials against a server that demands them, "Authorization Violation"
 * counts as ready: the server is up and speaking the protocol; JetStream cannot be asked then.
 */
final class NatsClientWaitStrategy extends AbstractWaitStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(NatsClientWaitStrategy.class);
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(2);
    private static final long PAUSE_MILLIS = 100;
    private static final String AUTHORIZATION_VIOLATION = "Authorization Violation";

    @Override
    protected void waitUntilReady() {
        if (!(waitStrategyTarget instanceof NatsContainer)) {
            throw new IllegalStateException("the NATS client check only works on a NatsContainer");
        }
        NatsContainer nats = (NatsContainer) waitStrategyTarget;
        Instant deadline = Instant.now().plus(startupTimeout);
        while (true) {
            String problem = attempt(nats);
            if (problem == null) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new ContainerLaunchException("NATS at " + nats.getNatsUrl() + " was not ready within "
                        + startupTimeout.toSeconds() + "s: " + problem);
            }
            if (!nats.isRunning()) {
                throw new ContainerLaunchException(StartupLog.EXITED + " before it was ready (" + problem + ")");
            }
            try {
                Thread.sleep(PAUSE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ContainerLaunchException("interrupted while waiting for NATS at " + nats.getNatsUrl(), e);
            }
        }
    }

    /** Null when ready, else what stood in the way. */
    private static String attempt(NatsContainer nats) {
        List<String> serverErrors = new CopyOnWriteArrayList<>();
        Options options = nats.clientOptions()
                .noReconnect()
                .connectionTimeout(ATTEMPT_TIMEOUT)
                .errorListener(new ErrorListener() {
                    @Override
                    public void errorOccurred(Connection connection, String error) {
                        serverErrors.add(error);
                    }

                    @Override
                    public void exceptionOccurred(Connection connection, Exception exception) {
                        // expected while the server comes up; the attempt reports the outcome
                    }
                })
                .build();
        try (Connection connection = Nats.connect(options)) {
            if (nats.isJetStreamEnabled()) {
                connection.jetStreamManagement(JetStreamOptions.builder().requestTimeout(ATTEMPT_TIMEOUT).build())
                        .getAccountStatistics();
            }
            return null;
        } catch (JetStreamApiException e) {
            return "JetStream is not answering yet: " + e.getMessage();
        } catch (IOException e) {
            if (!nats.hasClientCredentials() && serverErrors.stream().anyMatch(s -> s.contains(AUTHORIZATION_VIOLATION))) {
                LOG.debug("NATS at {} demands credentials and none were given: it is up; JetStream not checked",
                        nats.getNatsUrl());
                return null;
            }
            return serverErrors.isEmpty() ? String.valueOf(e.getMessage()) : e.getMessage() + " " + serverErrors;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (RuntimeException e) {
            return e.toString();
        }
    }

}
