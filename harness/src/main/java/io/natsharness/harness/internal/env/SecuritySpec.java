package io.natsharness.harness.internal.env;

/**
 * The security the test asked for. Plain for now; TLS and users are added with the security work.
 */
public record SecuritySpec() {

    /** No TLS, no credentials. */
    public static SecuritySpec plain() {
        return new SecuritySpec();
    }

    /** True when nothing is asked for. */
    public boolean isPlain() {
        return true;
    }

    /** A short description for logs. */
    public String describe() {
        return "plain";
    }
}
