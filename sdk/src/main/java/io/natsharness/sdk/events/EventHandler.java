package io.natsharness.sdk.events;

import com.google.protobuf.Message;

/**
 * Handles one event. Returning acknowledges it; throwing asks JetStream to redeliver it later.
 *
 * <pre>{@code
 * EventHandler<PaymentSettled> h = event -> ledger.record(event.payload());
 * }</pre>
 */
@FunctionalInterface
public interface EventHandler<M extends Message> {

  void handle(ReceivedEvent<M> event) throws Exception;
}
