package io.lmbridge.logging;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;

import java.util.List;

/**
 * The request log's tables, as numbered migrations: the file's {@code user_version} says which have
 * run, and each later one runs once, in order, in one transaction. A change to the schema is a new
 * entry at the end, never an edit of a released one.
 */
final class LogSchema {

  private static final List<List<String>> MIGRATIONS = List.of(
      List.of("""
          CREATE TABLE requests (
            id INTEGER PRIMARY KEY,
            request_id TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            endpoint TEXT NOT NULL,
            dialect TEXT NOT NULL,
            provider TEXT,
            model TEXT,
            stream INTEGER NOT NULL,
            status INTEGER NOT NULL,
            error_type TEXT,
            error_message TEXT,
            latency_ms REAL NOT NULL,
            ttft_ms REAL,
            upstream_ms REAL,
            prompt_tokens INTEGER,
            completion_tokens INTEGER,
            cached_tokens INTEGER,
            cache_hit INTEGER NOT NULL,
            key_id TEXT,
            request_body TEXT,
            response_body TEXT)""",
          "CREATE INDEX requests_created_at ON requests (created_at)",
          "CREATE INDEX requests_request_id ON requests (request_id)",
          "CREATE INDEX requests_model ON requests (model, created_at)",
          "CREATE INDEX requests_provider ON requests (provider, created_at)"));

  private LogSchema() {
  }

  /** The schema version this build writes. */
  static int latest() {
    return MIGRATIONS.size();
  }

  static Future<Void> migrate(Pool writer) {
    return writer.withTransaction(connection -> connection.query("PRAGMA user_version").execute()
        .compose(rows -> {
          Row row = rows.iterator().next();
          return apply(connection, row.getInteger(0));
        }));
  }

  private static Future<Void> apply(SqlConnection connection, int version) {
    if (version >= MIGRATIONS.size()) {
      return Future.succeededFuture();
    }
    Future<Void> done = Future.succeededFuture();
    for (int next = version; next < MIGRATIONS.size(); next++) {
      for (String statement : MIGRATIONS.get(next)) {
        done = done.compose(v -> connection.query(statement).execute().mapEmpty());
      }
    }
    return done.compose(v -> connection.query("PRAGMA user_version = " + MIGRATIONS.size()).execute().mapEmpty());
  }
}
