package io.natsharness.gateway.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.xnio.channels.StreamSourceChannel;
import org.xnio.conduits.AbstractStreamSinkConduit;
import org.xnio.conduits.ConduitWritableByteChannel;
import org.xnio.conduits.Conduits;
import org.xnio.conduits.StreamSinkConduit;

/**
 * Passes a response through unchanged while keeping a copy of up to {@code limit} bytes: how
 * SHADOW mode sees the legacy answer that Undertow's proxy streams to the client. Transfers are
 * routed through {@link #write} so no byte escapes the copy.
 */
final class CapturingConduit extends AbstractStreamSinkConduit<StreamSinkConduit> {

  private final ByteArrayOutputStream copy;
  private final int limit;
  private boolean truncated;

  CapturingConduit(StreamSinkConduit next, int limit) {
    super(next);
    this.limit = limit;
    this.copy = new ByteArrayOutputStream(Math.min(limit, 8192));
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    int start = src.position();
    int n = next.write(src);
    keep(src, start, n);
    return n;
  }

  @Override
  public long write(ByteBuffer[] srcs, int offs, int len) throws IOException {
    long total = 0;
    for (int i = offs; i < offs + len; i++) {
      if (!srcs[i].hasRemaining()) {
        continue;
      }
      int want = srcs[i].remaining();
      int n = write(srcs[i]);
      total += n;
      if (n < want) {
        break;
      }
    }
    return total;
  }

  @Override
  public int writeFinal(ByteBuffer src) throws IOException {
    int start = src.position();
    int n = next.writeFinal(src);
    keep(src, start, n);
    return n;
  }

  @Override
  public long writeFinal(ByteBuffer[] srcs, int offs, int len) throws IOException {
    return Conduits.writeFinalBasic(this, srcs, offs, len);
  }

  @Override
  public long transferFrom(FileChannel src, long position, long count) throws IOException {
    return src.transferTo(position, count, new ConduitWritableByteChannel(this));
  }

  @Override
  public long transferFrom(StreamSourceChannel source, long count, ByteBuffer throughBuffer) throws IOException {
    return Conduits.transfer(source, count, throughBuffer, this);
  }

  private void keep(ByteBuffer src, int start, int n) {
    if (n <= 0 || truncated) {
      return;
    }
    if (copy.size() + n > limit) {
      truncated = true;
      return;
    }
    ByteBuffer view = src.duplicate();
    view.position(start);
    view.limit(start + n);
    byte[] bytes = new byte[n];
    view.get(bytes);
    copy.write(bytes, 0, n);
  }

  /** The bytes written so far. */
  byte[] captured() {
    return copy.toByteArray();
  }

  /** Whether the response was longer than the limit (the copy is then incomplete). */
  boolean truncated() {
    return truncated;
  }
}
