package io.lmbridge.cache;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/** Where cached responses live: this node's memory, or the cluster's shared map. */
interface ResponseStore {

  /** The stored bytes, or null when absent or expired. */
  Future<Buffer> get(String key);

  Future<Void> put(String key, Buffer response);

  Future<Integer> entries();

  /** Bytes held by this node's store, or null where the store cannot tell. */
  Long bytes();
}
