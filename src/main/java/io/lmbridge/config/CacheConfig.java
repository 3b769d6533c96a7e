package io.lmbridge.config;

/**
 * The response cache.
 *
 * @param ttlSeconds how long an answer is served from cache; 0 keeps it until evicted
 * @param maxEntries least recently used entries go first beyond this many (per node in a cluster)
 * @param maxBytes   and beyond this many bytes of stored responses (this node's own cache)
 */
public record CacheConfig(boolean enabled, int ttlSeconds, int maxEntries, long maxBytes) {
}
