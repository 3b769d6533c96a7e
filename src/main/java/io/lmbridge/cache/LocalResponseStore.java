package io.lmbridge.cache;

import io.lmbridge.config.CacheConfig;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A least-recently-used map bounded by entries and by bytes, with a time to live. Used from the
 * cache verticle's event loop only, so it needs no locking. Limits are read per write, so a reloaded
 * config applies at once.
 */
final class LocalResponseStore implements ResponseStore {

  private final Supplier<CacheConfig> settings;
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(256, 0.75f, true);
  private long bytes;

  LocalResponseStore(Supplier<CacheConfig> settings) {
    this.settings = settings;
  }

  @Override
  public Future<Buffer> get(String key) {
    Entry entry = entries.get(key);
    if (entry == null) {
      return Future.succeededFuture();
    }
    if (entry.expired(System.nanoTime())) {
      remove(key);
      return Future.succeededFuture();
    }
    return Future.succeededFuture(entry.response);
  }

  @Override
  public Future<Void> put(String key, Buffer response) {
    CacheConfig limits = settings.get();
    if (response.length() > limits.maxBytes()) {
      return Future.succeededFuture();
    }
    remove(key);
    long ttl = limits.ttlSeconds() == 0 ? Long.MAX_VALUE : TimeUnit.SECONDS.toNanos(limits.ttlSeconds());
    entries.put(key, new Entry(response, System.nanoTime(), ttl));
    bytes += response.length();
    Iterator<Map.Entry<String, Entry>> eldest = entries.entrySet().iterator();
    while (entries.size() > limits.maxEntries() || bytes > limits.maxBytes()) {
      bytes -= eldest.next().getValue().response.length();
      eldest.remove();
    }
    return Future.succeededFuture();
  }

  /** Counts live entries only: the expired ones are dropped first. */
  @Override
  public Future<Integer> entries() {
    long now = System.nanoTime();
    Iterator<Entry> all = entries.values().iterator();
    while (all.hasNext()) {
      Entry entry = all.next();
      if (entry.expired(now)) {
        bytes -= entry.response.length();
        all.remove();
      }
    }
    return Future.succeededFuture(entries.size());
  }

  @Override
  public Long bytes() {
    return bytes;
  }

  private void remove(String key) {
    Entry old = entries.remove(key);
    if (old != null) {
      bytes -= old.response.length();
    }
  }

  private record Entry(Buffer response, long storedAt, long ttlNanos) {

    boolean expired(long now) {
      return now - storedAt >= ttlNanos;
    }
  }
}
