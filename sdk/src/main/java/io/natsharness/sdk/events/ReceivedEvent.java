package io.natsharness.sdk.events;

import com.google.protobuf.Message;

/**
 * An event as a consumer's handler sees it.
 *
 * <pre>{@code
 * EventHandler<PaymentSettled> h = (ReceivedEvent<PaymentSettled> e) ->
 *     ledger.record(e.eventId(), e.payload().getTransaction());
 * }</pre>
 *
 * @param eventId the {@code Nats-Msg-Id} it was published with
 * @param subject the event subject, e.g. {@code evt.util.payment.v1.payment_settled}
 * @param payload the decoded payload
 * @param streamSequence its sequence in the stream
 * @param deliveryCount 1 on the first delivery, more on redeliveries
 */
public record ReceivedEvent<M extends Message>(
    String eventId, String subject, M payload, long streamSequence, long deliveryCount) {}
