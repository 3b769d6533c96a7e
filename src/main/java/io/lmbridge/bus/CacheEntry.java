package io.lmbridge.bus;

import io.lmbridge.chat.ChatResponse;

/** A response to keep in the cache under its request's key. */
public record CacheEntry(String key, ChatResponse response) {
}
