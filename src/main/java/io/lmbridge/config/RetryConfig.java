package io.lmbridge.config;

/**
 * How often an upstream call is retried on 429, 5xx or a failed connection, before anything reached
 * the client; the wait doubles from {@code initialBackoffMillis}, and an upstream's {@code Retry-After}
 * longer than {@code maxBackoffMillis} is answered to the client instead of waited out.
 */
public record RetryConfig(int maxRetries, int initialBackoffMillis, int maxBackoffMillis) {
}
