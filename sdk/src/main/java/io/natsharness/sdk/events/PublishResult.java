package io.natsharness.sdk.events;

/**
 * What JetStream answered to a publish.
 *
 * <pre>{@code
 * PublishResult r = publisher.publish(event, payload, "evt-1");
 * r.duplicate(); // true when evt-1 was already stored inside the duplicate window
 * }</pre>
 *
 * @param stream the stream that stored the event, e.g. {@code EVT_UTIL}
 * @param sequence the stream sequence (of the first copy, for a duplicate)
 * @param duplicate whether the id was already stored inside the duplicate window
 */
public record PublishResult(String stream, long sequence, boolean duplicate) {}
