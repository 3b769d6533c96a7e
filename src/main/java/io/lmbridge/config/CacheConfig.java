package io.lmbridge.config;

public record CacheConfig(boolean enabled, int ttlSeconds) {
}
