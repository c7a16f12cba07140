package io.natsharness.conformance.shadow.generate;

import com.google.protobuf.Message;
import com.google.rpc.Code;
import io.natsharness.proto.catalog.MethodInfo;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One call of a scenario: a method, how to build its request from the side's earlier answers, the
 * Idempotency-Key it carries, and the outcome the generator expects from a conforming
 * implementation (OK, or the error the contract prescribes for the state the scenario built).
 *
 * <pre>{@code
 * Step charge = ctx.call("charge").as("charge").withKey()
 *     .request(b -> ChargeRequest.newBuilder().setWalletId(b.get("wallet", Wallet.class).getWalletId())
 *         .setAmount(Money.newBuilder().setCurrency("GEM").setMinorUnits(150)).build());
 * }</pre>
 */
public final class Step {

  private final MethodInfo method;
  private final String name;
  private final Function<Bindings, Message> request;
  private final Optional<String> idempotencyKey;
  private final Code expected;
  private final StreamRead read;
  private final Duration timeout;

  Step(MethodInfo method, String name, Function<Bindings, Message> request, Optional<String> idempotencyKey,
      Code expected, StreamRead read, Duration timeout) {
    this.method = Objects.requireNonNull(method, "method");
    this.name = name;
    this.request = Objects.requireNonNull(request, "request");
    this.idempotencyKey = idempotencyKey;
    this.expected = expected;
    this.read = read;
    this.timeout = timeout;
  }

  /** A step with a fixed request (a replayed one). */
  public static Step fixed(MethodInfo method, String name, Message request, Optional<String> idempotencyKey,
      Duration timeout) {
    return new Step(method, name, b -> request, idempotencyKey, Code.OK,
        method.serverStreaming() ? StreamRead.first(50) : StreamRead.ALL, timeout);
  }

  public MethodInfo method() {
    return method;
  }

  /** The name later steps find this step's answer under; the method name when none was given. */
  public String name() {
    return name;
  }

  /**
   * The request for one side.
   *
   * @throws Bindings.UnboundException when a step it needs failed on that side
   * @throws IllegalStateException when the recipe built a message of another type (a bug in it)
   */
  public Message request(Bindings bindings) {
    Message m = request.apply(bindings);
    if (!m.getDescriptorForType().getFullName().equals(method.requestType().getFullName())) {
      throw new IllegalStateException("step '" + name + "' of " + method.subject() + " built a "
          + m.getDescriptorForType().getFullName() + ", not a " + method.requestType().getFullName());
    }
    return m;
  }

  public Optional<String> idempotencyKey() {
    return idempotencyKey;
  }

  /** The outcome a conforming implementation gives (the generator's own check on itself). */
  public Code expected() {
    return expected;
  }

  public StreamRead read() {
    return read;
  }

  public Duration timeout() {
    return timeout;
  }

  @Override
  public String toString() {
    return name + " (" + method.subject() + ")";
  }
}
