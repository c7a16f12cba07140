package io.natsharness.conformance.contract.kit;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.Status;
import io.natsharness.proto.common.v1.ErrorDetail;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code common.v1.ErrorDetail}s in the details of an error reply's {@code google.rpc.Status}:
 * the field an INVALID_ARGUMENT names and the machine-readable reason of a refusal.
 *
 * <pre>{@code
 * Status refused = payment.fails("charge", tooMuch, Code.FAILED_PRECONDITION);
 * ErrorDetails.assertReason(refused, "INSUFFICIENT_FUNDS");
 * }</pre>
 */
public final class ErrorDetails {

  private ErrorDetails() {}

  /** Every ErrorDetail among the status details, in order. */
  public static List<ErrorDetail> of(Status status) {
    List<ErrorDetail> details = new ArrayList<>();
    for (Any any : status.getDetailsList()) {
      if (any.is(ErrorDetail.class)) {
        try {
          details.add(any.unpack(ErrorDetail.class));
        } catch (InvalidProtocolBufferException e) {
          throw new AssertionError("an ErrorDetail in the Status body does not parse: " + e.getMessage(), e);
        }
      }
    }
    return details;
  }

  /** The first ErrorDetail among the status details. */
  public static Optional<ErrorDetail> first(Status status) {
    return of(status).stream().findFirst();
  }

  /** Asserts that the status carries an ErrorDetail with this machine-readable reason. */
  public static void assertReason(Status status, String reason) {
    assertThat(first(status).map(ErrorDetail::getReason))
        .as("ErrorDetail reason of '%s'", status.getMessage()).contains(reason);
  }

  /** Asserts that an ErrorDetail, or at least the status message, names {@code field}. */
  public static void assertNamesField(Status status, String field) {
    List<String> named = of(status).stream().map(ErrorDetail::getField).toList();
    assertThat(named.stream().anyMatch(f -> names(f, field)) || status.getMessage().contains(field))
        .as("the error names the field %s (ErrorDetail %s, message '%s')", field, named, status.getMessage())
        .isTrue();
  }

  /** Whether {@code named} is {@code field} itself or a path inside it ({@code field.x}, {@code field[0]}). */
  static boolean names(String named, String field) {
    return named.equals(field) || named.startsWith(field + ".") || named.startsWith(field + "[");
  }
}
