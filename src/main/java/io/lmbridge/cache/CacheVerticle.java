package io.lmbridge.cache;

import io.lmbridge.bus.Addresses;
import io.lmbridge.bus.BusCodec;
import io.lmbridge.bus.CacheEntry;
import io.lmbridge.bus.ServiceActions;
import io.lmbridge.chat.ChatResponse;
import io.lmbridge.config.LiveConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/**
 * The response cache of one node, behind {@link Addresses#CACHE}. Alone it keeps a bounded map in
 * memory; in a cluster it reads and writes the map shared by all nodes. Responses are stored as the
 * bus's JSON bytes, which is what the shared map needs and what the byte bound counts.
 */
public final class CacheVerticle extends VerticleBase {

  private static final System.Logger LOG = System.getLogger(CacheVerticle.class.getName());

  private final LiveConfig config;
  private final boolean shared;
  private ResponseStore store;
  private long hits;
  private long misses;

  /** @param shared whether this node is part of a gateway cluster, whose nodes share one cache */
  public CacheVerticle(LiveConfig config, boolean shared) {
    this.config = config;
    this.shared = shared;
  }

  @Override
  public Future<?> start() {
    store = shared
        ? new SharedResponseStore(vertx, () -> config.get().cache())
        : new LocalResponseStore(() -> config.get().cache());
    return vertx.eventBus().localConsumer(Addresses.CACHE, this::onMessage).completion();
  }

  private void onMessage(Message<Object> message) {
    switch (message.headers().get(ServiceActions.ACTION)) {
      case ServiceActions.GET -> get(message, (String) message.body());
      case ServiceActions.PUT -> {
        CacheEntry entry = (CacheEntry) message.body();
        store.put(entry.key(), BusCodec.encode(entry.response()))
            .onFailure(failure -> LOG.log(System.Logger.Level.WARNING, "cache write failed: " + failure.getMessage()));
      }
      case ServiceActions.STATS -> store.entries().onComplete(entries -> message.reply(new JsonObject()
          .put("enabled", config.get().cache().enabled())
          .put("shared", shared)
          .put("entries", entries.succeeded() ? entries.result() : null)
          .put("bytes", store.bytes())
          .put("hits", hits)
          .put("misses", misses)));
      default -> message.fail(400, "unknown cache action");
    }
  }

  /** A store that fails (a cluster in trouble) is a miss: the cache never fails a request. */
  private void get(Message<Object> message, String key) {
    store.get(key).onComplete(found -> {
      Buffer bytes = found.succeeded() ? found.result() : null;
      if (found.failed()) {
        LOG.log(System.Logger.Level.WARNING, "cache read failed: " + found.cause().getMessage());
      }
      if (bytes == null) {
        misses++;
        message.reply(null);
      } else {
        hits++;
        message.reply(BusCodec.decode(bytes, ChatResponse.class));
      }
    });
  }
}
