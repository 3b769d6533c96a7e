package io.lmbridge.ingress.realtime;

import io.lmbridge.bus.ChatClient;
import io.lmbridge.config.LiveConfig;
import io.lmbridge.ingress.InFlightRequests;
import io.vertx.core.Vertx;

/** What a session needs from its ingress instance: the same call path as the HTTP endpoints. */
record SessionServices(Vertx vertx, ChatClient client, LiveConfig config, InFlightRequests inFlight) {
}
