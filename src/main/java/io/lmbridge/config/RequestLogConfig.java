package io.lmbridge.config;

/**
 * The SQLite request log (its file is {@code sqlite_db_path}).
 *
 * @param storeBodies    whether request and response bodies are kept (redacted and cut to {@code maxBodyBytes})
 * @param retentionDays  rows older than this are purged
 * @param queueCapacity  rows waiting for the disk beyond this are dropped and counted
 * @param batchSize      rows per transaction at most
 * @param flushMillis    how long a row may wait for a batch to fill
 */
public record RequestLogConfig(boolean enabled, boolean storeBodies, int maxBodyBytes, int retentionDays,
                               int queueCapacity, int batchSize, int flushMillis) {
}
