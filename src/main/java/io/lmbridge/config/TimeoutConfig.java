package io.lmbridge.config;

/**
 * @param requestSeconds     how long a whole non-streamed response, or the start of a stream, may take
 * @param streamIdleSeconds  how long a started stream may stay silent before it is failed
 * @param connectSeconds     connecting to an upstream
 */
public record TimeoutConfig(int requestSeconds, int streamIdleSeconds, int connectSeconds) {
}
