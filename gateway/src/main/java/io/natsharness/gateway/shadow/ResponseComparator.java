package io.natsharness.gateway.shadow;

import com.google.protobuf.Message;
import java.util.List;

/**
 * Compares two answers of the same method field by field. The gateway's SHADOW mode uses it on
 * the legacy and NATS answers of one request; the shadow suite can use the same implementation.
 *
 * <pre>{@code
 * ResponseComparator comparator = DescriptorComparator.builder().withIgnoredField("generation_id").build();
 * List<FieldDifference> diffs = comparator.compare(legacy, nats); // empty when they agree
 * }</pre>
 */
@FunctionalInterface
public interface ResponseComparator {

  /**
   * The fields on which {@code actual} differs from {@code expected}, in field order; empty when
   * they agree. Both must be of the same message type.
   *
   * @throws IllegalArgumentException if the two messages are of different types
   */
  List<FieldDifference> compare(Message expected, Message actual);
}
