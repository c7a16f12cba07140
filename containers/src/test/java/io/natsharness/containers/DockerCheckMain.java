package io.natsharness.containers;

import java.time.Duration;

/** Runs {@link DockerCheck} in a JVM of its own (the test gives it a different DOCKER_HOST). */
public final class DockerCheckMain {

    private DockerCheckMain() {
    }

    public static void main(String[] args) {
        long start = System.nanoTime();
        DockerCheck.Result result = DockerCheck.check(Duration.ofMillis(Long.parseLong(args[0])));
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println(result.available() + "|" + millis + "|" + result.message());
        System.exit(0); // an abandoned check thread must not keep this JVM alive
    }
}
