package io.natsharness.conformance.contract.kit;

import com.google.protobuf.Message;
import java.util.function.UnaryOperator;

/**
 * One way to make a valid request invalid, and the request field the INVALID_ARGUMENT answer must
 * name (SERVICES.md: bad input gets INVALID_ARGUMENT naming the field). Where the bad requests
 * are not one valid request with one change each, {@link Bad} lists them whole.
 *
 * <pre>{@code
 * models.failsOnEach("register", valid, List.<Breaker<RegisterRequest.Builder>>of(
 *     Breaker.of("name", b -> b.setName("")),
 *     Breaker.of("context_window", b -> b.setContextWindow(0))));
 * }</pre>
 *
 * @param field the field path the error must name, e.g. {@code objectives} or {@code page.page_size}
 * @param change what breaks the request
 * @param <B> the request's builder type
 */
public record Breaker<B extends Message.Builder>(String field, UnaryOperator<B> change) {

  public static <B extends Message.Builder> Breaker<B> of(String field, UnaryOperator<B> change) {
    return new Breaker<>(field, change);
  }

  /** The broken request built from {@code valid}, a fresh builder of a valid request. */
  public Message apply(B valid) {
    return change.apply(valid).build();
  }
}
