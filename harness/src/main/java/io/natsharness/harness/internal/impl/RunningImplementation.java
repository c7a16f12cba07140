package io.natsharness.harness.internal.impl;

import java.util.List;
import java.util.OptionalInt;

/**
 * A started implementation under test, whatever adapter started it.
 */
public interface RunningImplementation extends AutoCloseable {

    /** The catalog names of the services that answered {@code $SRV.PING}. */
    List<String> services();

    /** Its legacy HTTP port, when it has one. */
    OptionalInt httpPort();

    /** The tail of its output (empty for in-process and external implementations). */
    String logTail(int lines);

    @Override
    void close();
}
