package io.natsharness.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * Removes containers and networks this module created, found by label. Ryuk is off on our machines,
 * so a JVM that dies leaves its containers running: this is how they go.
 *
 * <p>Every container and network carries {@value #LABEL}{@code =true} and the owner's host, process
 * id and process start time. {@link #removeOrphans()} removes only those whose owner process is gone
 * (safe while other runs use the same engine); {@link #removeAll()} removes every one.
 *
 * <pre>{@code
 * int removed = Leftovers.removeOrphans(); // at the start of a run
 * }</pre>
 */
public final class Leftovers {

    /** The label every container and network of this module carries, with the value {@code true}. */
    public static final String LABEL = ContainerLabels.MARKER;

    private static final Logger LOG = LoggerFactory.getLogger(Leftovers.class);

    private Leftovers() {
    }

    /** Removes every container and network labelled {@value #LABEL}=true, in use or not. */
    public static int removeAll() {
        return removeLabelled(Map.of(LABEL, "true"));
    }

    /** Removes the containers and networks of this JVM. */
    public static int removeOwn() {
        return removeLabelled(Map.of(ContainerLabels.SESSION, ContainerLabels.SESSION_ID));
    }

    /**
     * Removes labelled containers and networks whose owner process, on this host, no longer runs
     * (or is a different process that reuses the id).
     */
    public static int removeOrphans() {
        String host = ContainerLabels.hostName();
        return remove(Map.of(LABEL, "true"), labels -> host.equals(labels.get(ContainerLabels.HOST))
                && !ownerAlive(labels));
    }

    /** Removes every container and network that carries all the given labels. */
    public static int removeLabelled(Map<String, String> labels) {
        return remove(labels, any -> true);
    }

    private static int remove(Map<String, String> filter, Predicate<Map<String, String>> select) {
        if (filter.isEmpty()) {
            throw new IllegalArgumentException("at least one label is needed to choose what to remove");
        }
        DockerClient docker = DockerClientFactory.instance().client();
        List<Container> containers = docker.listContainersCmd().withShowAll(true).withLabelFilter(filter).exec()
                .stream().filter(c -> select.test(Optional.ofNullable(c.getLabels()).orElse(Map.of())))
                .collect(Collectors.toList());
        int removed = 0;
        for (Container container : containers) {
            try {
                docker.removeContainerCmd(container.getId()).withForce(true).withRemoveVolumes(true).exec();
                removed++;
                LOG.info("Removed leftover container {} ({})", container.getId().substring(0, 12), container.getImage());
            } catch (DockerException e) {
                LOG.warn("Could not remove container {}: {}", container.getId(), e.getMessage());
            }
        }
        List<Network> networks = docker.listNetworksCmd().exec().stream()
                .filter(n -> n.getLabels() != null && matches(n.getLabels(), filter) && select.test(n.getLabels()))
                .collect(Collectors.toList());
        for (Network network : networks) {
            try {
                docker.removeNetworkCmd(network.getId()).exec();
                removed++;
                LOG.info("Removed leftover network {}", network.getName());
            } catch (DockerException e) {
                LOG.warn("Could not remove network {}: {}", network.getName(), e.getMessage());
            }
        }
        return removed;
    }

    private static boolean matches(Map<String, String> labels, Map<String, String> filter) {
        return filter.entrySet().stream().allMatch(e -> Objects.equals(labels.get(e.getKey()), e.getValue()));
    }

    private static boolean ownerAlive(Map<String, String> labels) {
        try {
            long pid = Long.parseLong(labels.getOrDefault(ContainerLabels.PID, ""));
            return ProcessHandle.of(pid)
                    .map(process -> ContainerLabels.processStart(process).equals(labels.get(ContainerLabels.PROCESS_START)))
                    .orElse(false);
        } catch (NumberFormatException e) {
            return true; // not ours to judge: keep it
        }
    }
}
