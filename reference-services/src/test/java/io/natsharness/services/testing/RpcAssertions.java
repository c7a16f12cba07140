package io.natsharness.services.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.Code;
import io.natsharness.proto.common.v1.ErrorDetail;
import io.natsharness.sdk.status.RpcException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Assertions on the errors a call answers. */
public final class RpcAssertions {

  private RpcAssertions() {}

  /** The call fails with {@code code} and exactly {@code message}. */
  public static RpcException assertRpcError(ThrowingCallable call, Code code, String message) {
    RpcException[] caught = new RpcException[1];
    assertThatThrownBy(call).isInstanceOfSatisfying(RpcException.class, e -> {
      assertThat(e.code()).as("code of %s", e.getMessage()).isEqualTo(code);
      assertThat(e.statusMessage()).isEqualTo(message);
      caught[0] = e;
    });
    return caught[0];
  }

  /** The call fails with INVALID_ARGUMENT, exactly {@code message}, and an ErrorDetail naming {@code field}. */
  public static void assertInvalid(ThrowingCallable call, String field, String message) {
    RpcException e = assertRpcError(call, Code.INVALID_ARGUMENT, message);
    assertThat(e.errorDetail()).map(ErrorDetail::getField).contains(field);
  }
}
