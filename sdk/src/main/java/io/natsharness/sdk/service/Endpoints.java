package io.natsharness.sdk.service;

import com.google.protobuf.Message;

/**
 * The binder a {@link NatsService} registers its handlers with; {@code method} is the subject-style
 * method name ({@code charge}, {@code infer_stream}). Checked against the catalog by
 * {@link ServiceDefinition#of(NatsService)}.
 *
 * <pre>{@code
 * endpoints.unary("infer", this::infer).stream("infer_stream", this::inferStream);
 * }</pre>
 */
public interface Endpoints {

  /** Binds a unary method. */
  <Q extends Message, R extends Message> Endpoints unary(String method, UnaryHandler<Q, R> handler);

  /** Binds a server-streaming method. */
  <Q extends Message, R extends Message> Endpoints stream(String method, StreamHandler<Q, R> handler);
}
