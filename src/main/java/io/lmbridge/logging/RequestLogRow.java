package io.lmbridge.logging;

/**
 * One request as the log keeps it. Latencies are milliseconds with fractions, since the gateway's
 * own share is well under one.
 *
 * @param status      the HTTP status answered, or for a stream that failed after it started, the error's
 * @param upstreamMs  how long the provider took, measured where the adapter calls it: the rest of
 *                    {@code latencyMs} is the gateway's own overhead
 * @param ttftMs      time to the first streamed event, for streams
 * @param keyId       the client's key id once clients authenticate; null until then
 */
public record RequestLogRow(
    String requestId,
    long createdAt,
    String endpoint,
    String dialect,
    String provider,
    String model,
    boolean stream,
    int status,
    String errorType,
    String errorMessage,
    double latencyMs,
    Double ttftMs,
    Double upstreamMs,
    Integer promptTokens,
    Integer completionTokens,
    Integer cachedTokens,
    boolean cacheHit,
    String keyId,
    String requestBody,
    String responseBody) {
}
