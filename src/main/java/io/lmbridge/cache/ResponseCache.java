package io.lmbridge.cache;

import io.lmbridge.bus.Addresses;
import io.lmbridge.bus.CacheEntry;
import io.lmbridge.bus.ServiceActions;
import io.lmbridge.chat.ChatResponse;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;

/** The ingress side of the cache: lookups that never fail a request, and stores sent without waiting. */
public final class ResponseCache {

  private static final long LOOKUP_TIMEOUT_MILLIS = 2000;

  private final EventBus bus;

  public ResponseCache(EventBus bus) {
    this.bus = bus;
  }

  /** The cached response, or null on a miss; a cache that does not answer counts as a miss. */
  public Future<ChatResponse> lookup(String key) {
    return bus.<ChatResponse>request(Addresses.CACHE, key, action(ServiceActions.GET)
            .setSendTimeout(LOOKUP_TIMEOUT_MILLIS))
        .map(Message::body)
        .otherwise((ChatResponse) null);
  }

  public void store(String key, ChatResponse response) {
    bus.send(Addresses.CACHE, new CacheEntry(key, response), action(ServiceActions.PUT));
  }

  private static DeliveryOptions action(String action) {
    return new DeliveryOptions().addHeader(ServiceActions.ACTION, action);
  }
}
