package com.example.orders;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.io.IOException;

/** The team's code under test: records orders as JetStream messages, once per order id. */
public final class OrderBook {

    private final Connection nats;
    private final String stream;

    public OrderBook(Connection nats, String stream) throws IOException, JetStreamApiException {
        this.nats = nats;
        this.stream = stream;
        JetStreamManagement jsm = nats.jetStreamManagement();
        jsm.addStream(StreamConfiguration.builder().name(stream).subjects(stream + ".>").build());
    }

    /** Records an order; a repeat of the same id is stored once (JetStream's Nats-Msg-Id dedupe). */
    public boolean place(String orderId, String item) throws IOException, JetStreamApiException {
        Headers headers = new Headers().add("Nats-Msg-Id", orderId);
        return !nats.jetStream().publish(NatsMessage.builder().subject(stream + ".placed").headers(headers)
                .data(item.getBytes()).build()).isDuplicate();
    }

    /** How many distinct orders were placed. */
    public long count() throws IOException, JetStreamApiException {
        StreamInfo info = nats.jetStreamManagement().getStreamInfo(stream);
        return info.getStreamState().getMsgCount();
    }
}
