package io.natsharness.conformance.shadow.generate;

/**
 * How much of a server stream a step reads: all of it (streams that end by themselves), or its
 * first messages (streams that run until the deadline, whose later heartbeats depend on timing).
 *
 * <pre>{@code
 * ctx.call("watch_region").reading(StreamRead.first(1)).request(watch);  // the snapshot only
 * }</pre>
 *
 * @param maxMessages messages read before the stream is closed
 */
public record StreamRead(int maxMessages) {

  public static final StreamRead ALL = new StreamRead(Integer.MAX_VALUE);

  public StreamRead {
    if (maxMessages < 1) {
      throw new IllegalArgumentException("a stream read needs at least one message, not " + maxMessages);
    }
  }

  public static StreamRead first(int n) {
    return new StreamRead(n);
  }

  public boolean readsAll() {
    return maxMessages == Integer.MAX_VALUE;
  }
}
