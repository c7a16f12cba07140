package io.natsharness.conformance.contract.kit;

/**
 * NATS subject matching: {@code *} matches one token, {@code >} the rest (one token or more).
 *
 * <pre>{@code
 * Subjects.matches("evt.util.>", "evt.util.payment.v1.payment_settled");   // true
 * }</pre>
 */
final class Subjects {

  private Subjects() {}

  static boolean matches(String filter, String subject) {
    String[] f = filter.split("\\.");
    String[] s = subject.split("\\.");
    for (int i = 0; i < f.length; i++) {
      if (f[i].equals(">")) {
        return s.length > i;
      }
      if (i >= s.length || !(f[i].equals("*") || f[i].equals(s[i]))) {
        return false;
      }
    }
    return f.length == s.length;
  }
}
