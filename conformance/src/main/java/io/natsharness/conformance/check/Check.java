package io.natsharness.conformance.check;

/**
 * One conformance check: a behaviour of the contract, observed only through the wire, so it holds
 * for an implementation in any language.
 *
 * <p>A check passes by returning and fails by throwing: an {@link AssertionError} (AssertJ) for a
 * behaviour that differs from the contract, any other exception for a check that could not run as
 * intended (also a failure). {@link CheckSkipped} marks a check that does not apply to this target
 * (for instance, no HTTP side was given).
 *
 * <pre>{@code
 * Check ping = Check.of("wire.payment.ping", "payment", "$SRV.PING.payment answers",
 *     ctx -> assertThat(ctx.discovery().ping("payment")).isNotEmpty());
 * }</pre>
 */
public interface Check {

  /** Stable dotted id, {@code <suite>.<service>.<name>}, used by --run/--skip and known failures. */
  String id();

  /** The catalog service the check is about; empty for checks of the whole system. */
  String service();

  /** One sentence: the behaviour the check holds the implementation to. */
  String description();

  /** Runs the check against the target; throws to fail. */
  void run(CheckContext context) throws Exception;

  /** The body of a check, as a lambda. */
  @FunctionalInterface
  interface Body {
    void run(CheckContext context) throws Exception;
  }

  /** A check from its parts. */
  static Check of(String id, String service, String description, Body body) {
    return new SimpleCheck(id, service, description, body);
  }

  /** The record behind {@link #of}. */
  record SimpleCheck(String id, String service, String description, Body body) implements Check {
    @Override
    public void run(CheckContext context) throws Exception {
      body.run(context);
    }

    @Override
    public String toString() {
      return id;
    }
  }
}
