package io.natsharness.proto.catalog;

import com.google.protobuf.Message;

/**
 * An event a service publishes to JetStream.
 *
 * @param service the ADR-32 name of the publishing service
 * @param name the last subject token, e.g. {@code payment_settled}
 * @param subject {@code evt.<domain>.<service>.v1.<name>}
 * @param stream the JetStream stream that stores it, {@code EVT_<DOMAIN>}
 * @param prototype default instance of the payload message
 */
public record EventInfo(String service, String name, String subject, String stream, Message prototype) {}
