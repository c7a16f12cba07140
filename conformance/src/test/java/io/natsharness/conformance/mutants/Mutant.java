package io.natsharness.conformance.mutants;

import io.natsharness.harness.Implementation;
import io.natsharness.sdk.spi.ImplementationProvider;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A deliberately broken implementation of one reference service, and the checks that must catch
 * it. A mutant with no fault and nothing to catch is a control: the same host, unbroken.
 *
 * <pre>{@code
 * Mutant m = new Mutant("idempotency-key-ignored", "an idempotent repeat charges twice", "payment",
 *     List.of(), new SdkHost(...), List.of(Mutant.caughtBy("contract.payment.charge.idempotent_repeat")));
 * }</pre>
 *
 * @param name short unique name, e.g. {@code idempotency-key-ignored}
 * @param fault the fault in words, as the README lists it
 * @param service the catalog service that is broken; the suite runs only its checks
 * @param helpers further services its checks need running (downstream hops), unbroken
 * @param provider starts the broken implementation
 * @param catches the checks that must fail, each with a fragment its failure message must hold
 */
record Mutant(String name, String fault, String service, List<String> helpers, ImplementationProvider provider,
    List<Catch> catches) {

  Mutant {
    helpers = List.copyOf(helpers);
    catches = List.copyOf(catches);
  }

  /** The check {@code checkId} fails, whatever its message. */
  static Catch caughtBy(String checkId) {
    return new Catch(checkId, "");
  }

  /** The check {@code checkId} fails with a message containing {@code mentioning}. */
  static Catch caughtBy(String checkId, String mentioning) {
    return new Catch(checkId, mentioning);
  }

  /** Every service the implementation hosts: the mutated one, then its helpers. */
  Set<String> hosted() {
    Set<String> hosted = new LinkedHashSet<>();
    hosted.add(service);
    hosted.addAll(helpers);
    return hosted;
  }

  /** The implementation under test, restricted to the hosted services. */
  Implementation implementation() {
    return Implementation.provider(provider).services(hosted().toArray(String[]::new));
  }

  boolean isControl() {
    return catches.isEmpty();
  }

  @Override
  public String toString() {
    return name;
  }

  /**
   * One check a mutant must fail.
   *
   * @param checkId the check's id
   * @param mentioning a fragment of its failure message ("" for any)
   */
  record Catch(String checkId, String mentioning) {}
}
