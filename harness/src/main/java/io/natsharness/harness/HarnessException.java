package io.natsharness.harness;

/**
 * The harness could not provide what a test asked for: a server did not start, a backend is not
 * available, an implementation did not answer. The message always says what to do about it.
 *
 * <pre>{@code
 * try { ... } catch (HarnessException e) { System.err.println(e.getMessage()); }
 * }</pre>
 */
public class HarnessException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** With a message that says what went wrong and what to do. */
    public HarnessException(String message) {
        super(message);
    }

    /** With a message and the underlying cause. */
    public HarnessException(String message, Throwable cause) {
        super(message, cause);
    }
}
