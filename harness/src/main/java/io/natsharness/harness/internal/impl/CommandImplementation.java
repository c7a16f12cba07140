package io.natsharness.harness.internal.impl;

import io.natsharness.harness.HarnessException;
import io.natsharness.harness.Implementation;
import io.natsharness.harness.internal.embedded.ProcessReaper;
import io.natsharness.harness.internal.env.LogFiles;
import io.natsharness.harness.internal.env.NatsAccess;
import io.natsharness.sdk.spi.ImplementationProvider;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/** An implementation in any language, run as a child process with the environment variables set. */
final class CommandImplementation implements RunningImplementation {

    private final Process process;
    private final Path log;
    private final List<String> services;
    private final int httpPort;

    private CommandImplementation(Process process, Path log, List<String> services, int httpPort) {
        this.process = process;
        this.log = log;
        this.services = services;
        this.httpPort = httpPort;
    }

    static RunningImplementation start(Implementation implementation, Map<String, String> env, NatsAccess nats,
                                       Path workDir) {
        int httpPort = freePort();
        Path log = workDir.resolve("implementation.log");
        Process process;
        try {
            Files.createDirectories(workDir);
            ProcessBuilder builder = new ProcessBuilder(implementation.target())
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(env);
            builder.environment().put(ImplementationProvider.HTTP_PORT, Integer.toString(httpPort));
            process = builder.start();
        } catch (IOException e) {
            throw new HarnessException("could not run the implementation command " + implementation.target()
                    + ": " + e.getMessage(), e);
        }
        ProcessReaper.instance().register(process);
        CommandImplementation running = new CommandImplementation(process, log, implementation.services(), httpPort);
        try {
            ImplementationRunner.awaitServices(nats, implementation.services(), implementation, process::isAlive,
                    () -> "implementation output:\n" + running.logTail(20));
        } catch (RuntimeException e) {
            running.close();
            throw e;
        }
        return running;
    }

    @Override
    public List<String> services() {
        return services;
    }

    @Override
    public OptionalInt httpPort() {
        return OptionalInt.of(httpPort);
    }

    @Override
    public String logTail(int lines) {
        return LogFiles.tail(log, lines);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ProcessReaper.instance().unregister(process);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new HarnessException("could not find a free port for the implementation's HTTP side", e);
        }
    }
}
