package io.natsharness.conformance.contract.kit;

import com.google.protobuf.Message;

/**
 * One bad request for {@link Rpc#failsOnEach(String, java.util.List)}, and the request field its
 * INVALID_ARGUMENT must name in a {@code common.v1.ErrorDetail} (SERVICES.md: bad input gets
 * INVALID_ARGUMENT naming the field). Where the bad requests are all one valid request with one
 * change each, {@link Breaker} says it shorter.
 *
 * <pre>{@code
 * payment.failsOnEach("charge", List.of(
 *     bad("amount 0", "amount", chargeRequest(walletId, gems(0))),
 *     bad("empty wallet_id", "wallet_id", chargeRequest("", gems(1)))));
 * }</pre>
 *
 * @param label what is wrong, for the failure message
 * @param field the field path the error must name, e.g. {@code amount} or {@code page.page_size}
 * @param request the request
 * @param messageSuffices whether the status message naming the field is enough (see {@link #namedInMessage})
 */
public record Bad(String label, String field, Message request, boolean messageSuffices) {

  /** A bad request whose ErrorDetail must name {@code field}: {@code bad("amount 0", "amount", request)}. */
  public static Bad bad(String label, String field, Message request) {
    return new Bad(label, field, request, false);
  }

  /**
   * A bad request whose error may name {@code field} in its message instead of an ErrorDetail: for
   * a name the ErrorDetail gives inside another path, such as a map key ({@code params[count]} for
   * localize's missing parameter {@code count}).
   */
  public static Bad namedInMessage(String label, String field, Message request) {
    return new Bad(label, field, request, true);
  }
}
