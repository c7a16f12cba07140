package io.natsharness.sdk.service;

import com.google.protobuf.Message;

/**
 * Serves one unary method: a request in, a response out. Throw
 * {@link io.natsharness.sdk.status.RpcException} to answer an error; any other exception is a bug
 * and reaches the caller as INTERNAL with a generic message.
 *
 * <pre>{@code
 * UnaryHandler<GetBalanceRequest, Wallet> getBalance = (request, ctx) -> wallets.find(request.getWalletId())
 *     .orElseThrow(() -> RpcException.notFound("wallet " + request.getWalletId() + " not found"));
 * }</pre>
 */
@FunctionalInterface
public interface UnaryHandler<Q extends Message, R extends Message> {

  R handle(Q request, CallContext context) throws Exception;
}
