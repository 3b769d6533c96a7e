package io.lmbridge.cache;

import io.lmbridge.config.CacheConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.shareddata.AsyncMap;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The cluster's cache: a Vert.x shared map over Hazelcast, so an answer stored by one node is a hit
 * on every other. Hazelcast expires entries by their TTL and evicts the least recently used beyond
 * the per-node entry bound set in {@code node.ClusterSetup}.
 */
public final class SharedResponseStore implements ResponseStore {

  /** The Hazelcast map name; the cluster setup configures its eviction. */
  public static final String MAP = "lmbridge.cache";

  private final Future<AsyncMap<String, Buffer>> map;
  private final Supplier<CacheConfig> settings;

  SharedResponseStore(Vertx vertx, Supplier<CacheConfig> settings) {
    this.map = vertx.sharedData().getAsyncMap(MAP);
    this.settings = settings;
  }

  @Override
  public Future<Buffer> get(String key) {
    return map.compose(shared -> shared.get(key));
  }

  @Override
  public Future<Void> put(String key, Buffer response) {
    CacheConfig limits = settings.get();
    if (response.length() > limits.maxBytes()) {
      return Future.succeededFuture();
    }
    return map.compose(shared -> limits.ttlSeconds() == 0 ? shared.put(key, response)
        : shared.put(key, response, TimeUnit.SECONDS.toMillis(limits.ttlSeconds())));
  }

  @Override
  public Future<Integer> entries() {
    return map.compose(AsyncMap::size);
  }

  @Override
  public Long bytes() {
    return null;
  }
}
