package io.natsharness.conformance.load.requests;

import com.google.protobuf.Message;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.PopulatedMessages;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a load run gets its request bodies for a method. The default is
 * {@link GeneratedRequests}: the shadow suite's generators, with the state they need set up on the
 * implementation first, so the load is made of requests the implementation answers with success.
 *
 * <pre>{@code
 * RequestSource bodies = RequestSource.populated(42);       // every field set, no setup
 * LoadRequests r = bodies.requests(catalog.method("svc.util.time.v1.now").orElseThrow());
 * }</pre>
 */
@FunctionalInterface
public interface RequestSource {

  /**
   * Request bodies for {@code method}.
   *
   * @throws IllegalStateException when no valid body could be made, saying why
   */
  LoadRequests requests(MethodInfo method);

  /**
   * Eight messages with every field set (the catalog's {@link PopulatedMessages}), made without
   * asking the implementation: fine for the transport figures, though many methods answer such
   * requests with an error (an unknown id), which the run then counts.
   */
  static RequestSource populated(long seed) {
    return method -> {
      List<Message> messages = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        messages.add(PopulatedMessages.populated(method.requestType(), seed + i));
      }
      return LoadRequests.of(method, messages, "populated messages, seed " + seed);
    };
  }
}
