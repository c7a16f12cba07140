package io.natsharness.conformance.contract.kit;

import com.google.rpc.Code;
import io.natsharness.conformance.check.Check;
import io.natsharness.conformance.check.CheckContext;
import java.util.Optional;

/**
 * A contract check that knows the method it is about and, for an error check, the documented code
 * it provokes, so a test can prove that every documented code of every method has a check.
 *
 * <pre>{@code
 * ContractCheck check = (ContractCheck) ContractChecks.forService("auth")
 *     .error("issue_token", "bad_credentials", Code.UNAUTHENTICATED, "a wrong password is refused", ctx -> ...)
 *     .build().get(0);
 * check.method();      // "issue_token"
 * check.errorCode();   // Optional[UNAUTHENTICATED]; empty for a behaviour check
 * }</pre>
 *
 * @param id {@code contract.<service>.<method>.<behaviour>}
 * @param service the catalog service
 * @param method the method's subject token, e.g. {@code issue_token}
 * @param errorCode the documented code the check provokes; empty for a behaviour check
 * @param description what the check holds the service to
 * @param body what the check does
 */
public record ContractCheck(String id, String service, String method, Optional<Code> errorCode,
    String description, Check.Body body) implements Check {

  @Override
  public void run(CheckContext context) throws Exception {
    body.run(context);
  }

  @Override
  public String toString() {
    return id;
  }
}
