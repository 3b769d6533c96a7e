package io.lmbridge.logging;

import io.lmbridge.bus.Addresses;
import io.lmbridge.bus.BusFailures;
import io.lmbridge.chat.ApiException;
import io.lmbridge.bus.ServiceActions;
import io.lmbridge.config.LiveConfig;
import io.lmbridge.config.RequestLogConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.jdbcclient.JDBCConnectOptions;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The SQLite request log of one node. Rows arrive over {@link Addresses#REQUEST_LOG} and wait in a
 * bounded queue; one writer connection (SQLite allows one writer) inserts them in transactions of up
 * to a batch, as soon as a batch is full or a few milliseconds after the first row. A disk that fails
 * or is locked keeps the rows queued and retries; only a full queue drops rows, and counts them.
 * Stopping writes everything still queued. Reads ({@link Addresses#REQUEST_LOG_QUERY}) use their own
 * connections, which WAL mode lets run beside the writer.
 */
public final class RequestLogVerticle extends VerticleBase {

  private static final System.Logger LOG = System.getLogger(RequestLogVerticle.class.getName());
  private static final long RETRY_MILLIS = 1000;
  private static final long PURGE_EVERY_MILLIS = TimeUnit.HOURS.toMillis(1);
  private static final int BUSY_TIMEOUT_MILLIS = 2000;
  private static final String INSERT = "INSERT INTO requests (request_id, created_at, endpoint, dialect, provider,"
      + " model, stream, status, error_type, error_message, latency_ms, ttft_ms, upstream_ms, prompt_tokens,"
      + " completion_tokens, cached_tokens, cache_hit, key_id, request_body, response_body)"
      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private final LiveConfig config;
  private final String path;
  private final ArrayDeque<RequestLogRow> queue = new ArrayDeque<>();
  private Pool writer;
  private Pool readers;
  private RequestLogQueries queries;
  private Future<Void> ready;
  /** The write in progress, if any; only one runs at a time, since each takes the head of the queue. */
  private Future<Void> writing = Future.succeededFuture();
  private boolean flushing;
  private boolean stopping;
  private long flushTimer = -1;
  private long written;
  private long dropped;
  private String lastError;

  public RequestLogVerticle(LiveConfig config) {
    this.config = config;
    this.path = Path.of(config.get().sqliteDbPath()).toAbsolutePath().toString();
  }

  @Override
  public Future<?> start() {
    String url = "jdbc:sqlite:" + path + "?journal_mode=WAL&synchronous=NORMAL&busy_timeout=" + BUSY_TIMEOUT_MILLIS;
    writer = JDBCPool.pool(vertx, new JDBCConnectOptions().setJdbcUrl(url), new PoolOptions().setMaxSize(1));
    readers = JDBCPool.pool(vertx, new JDBCConnectOptions().setJdbcUrl(url), new PoolOptions().setMaxSize(2));
    queries = new RequestLogQueries(readers);
    ready = openAndPurge();
    vertx.setPeriodic(PURGE_EVERY_MILLIS, id -> purge());
    var rows = vertx.eventBus().<RequestLogRow>localConsumer(Addresses.REQUEST_LOG, message -> accept(message.body()));
    var reads = vertx.eventBus().<JsonObject>localConsumer(Addresses.REQUEST_LOG_QUERY, this::onQuery);
    // The log never holds up a node's start: a file it cannot open yet shows in the status instead.
    return Future.all(rows.completion(), reads.completion());
  }

  /** Writes every queued row before the node goes; a disk that fails now loses them, and says how many. */
  @Override
  public Future<?> stop() {
    stopping = true;
    if (flushTimer != -1) {
      vertx.cancelTimer(flushTimer);
    }
    return writing.transform(previous -> drain()).eventually(() -> Future.join(writer.close(), readers.close()));
  }

  private Future<Void> drain() {
    if (queue.isEmpty()) {
      return Future.succeededFuture();
    }
    flushing = true;
    writing = writeBatch();
    return writing.transform(done -> {
      if (done.failed()) {
        LOG.log(System.Logger.Level.ERROR, "request log: " + queue.size() + " rows not written at shutdown: "
            + done.cause().getMessage());
        return Future.succeededFuture();
      }
      return drain();
    });
  }

  private void accept(RequestLogRow row) {
    RequestLogConfig settings = config.get().requestLog();
    if (queue.size() >= settings.queueCapacity()) {
      dropped++;
      return;
    }
    queue.add(row);
    if (queue.size() >= settings.batchSize()) {
      flush();
    } else if (flushTimer == -1 && !flushing) {
      flushTimer = vertx.setTimer(settings.flushMillis(), id -> {
        flushTimer = -1;
        flush();
      });
    }
  }

  private void flush() {
    if (flushing || queue.isEmpty()) {
      return;
    }
    if (flushTimer != -1) {
      vertx.cancelTimer(flushTimer);
      flushTimer = -1;
    }
    flushing = true;
    writing = writeBatch();
    writing.onComplete(done -> {
      if (stopping) {
        return;
      }
      flushing = false;
      if (done.succeeded()) {
        flush();
      } else {
        flushTimer = vertx.setTimer(RETRY_MILLIS, id -> {
          flushTimer = -1;
          flush();
        });
      }
    });
  }

  /** Inserts the oldest rows, up to a batch, in one transaction; they leave the queue only once committed. */
  private Future<Void> writeBatch() {
    int size = Math.min(queue.size(), config.get().requestLog().batchSize());
    List<Tuple> batch = new ArrayList<>(size);
    var rows = queue.iterator();
    for (int i = 0; i < size; i++) {
      batch.add(tuple(rows.next()));
    }
    return opened()
        .compose(v -> writer.withTransaction(connection -> connection.preparedQuery(INSERT).executeBatch(batch)))
        .<Void>map(result -> {
          for (int i = 0; i < size; i++) {
            queue.poll();
          }
          written += size;
          lastError = null;
          return null;
        })
        .onFailure(failure -> noteError("writing " + size + " rows", failure));
  }

  /** The schema is in place; a file that could not be opened is tried again on the next write. */
  private Future<Void> opened() {
    if (ready.failed()) {
      ready = openAndPurge();
    }
    return ready;
  }

  private Future<Void> openAndPurge() {
    return LogSchema.migrate(writer)
        .compose(v -> purge())
        .onFailure(failure -> noteError("opening the file", failure));
  }

  private Future<Void> purge() {
    long cutoff = System.currentTimeMillis() - TimeUnit.DAYS.toMillis(config.get().requestLog().retentionDays());
    // In a transaction: the JDBC pool's connections do not auto-commit.
    return writer.withTransaction(connection -> connection.preparedQuery("DELETE FROM requests WHERE created_at < ?")
            .execute(Tuple.of(cutoff)))
        .onSuccess(result -> {
          if (result.rowCount() > 0) {
            LOG.log(System.Logger.Level.INFO, "request log: purged " + result.rowCount() + " rows older than "
                + config.get().requestLog().retentionDays() + " days");
          }
        })
        .mapEmpty();
  }

  private void noteError(String doing, Throwable failure) {
    if (stopping) {
      // Closing the pools fails whatever was under way; rows that could not be written say so in drain().
      return;
    }
    String message = doing + " (" + path + "): " + failure.getMessage();
    if (!message.equals(lastError)) {
      LOG.log(System.Logger.Level.WARNING, "request log: " + message + " (" + queue.size() + " rows queued)");
    }
    lastError = message;
  }

  private void onQuery(Message<JsonObject> message) {
    String action = message.headers().get(ServiceActions.ACTION);
    if (ServiceActions.STATS.equals(action)) {
      message.reply(stats());
      return;
    }
    Future<JsonObject> answer = switch (action) {
      case ServiceActions.LIST -> queries.list(message.body());
      case ServiceActions.GET -> queries.get(message.body().getString("request_id"));
      case ServiceActions.USAGE -> queries.usage(message.body());
      default -> Future.failedFuture("unknown request-log action " + action);
    };
    answer.onComplete(done -> {
      if (done.succeeded()) {
        message.reply(done.result());
      } else if (done.cause() instanceof ApiException invalid) {
        BusFailures.fail(message, invalid.error());
      } else {
        message.fail(503, "request log unavailable: " + done.cause().getMessage());
      }
    });
  }

  private JsonObject stats() {
    return new JsonObject()
        .put("enabled", config.get().requestLog().enabled())
        .put("path", path)
        .put("schema_version", LogSchema.latest())
        .put("rows_written", written)
        .put("rows_queued", queue.size())
        .put("rows_dropped", dropped)
        .put("last_error", lastError);
  }

  private static Tuple tuple(RequestLogRow row) {
    return Tuple.tuple()
        .addString(row.requestId())
        .addLong(row.createdAt())
        .addString(row.endpoint())
        .addString(row.dialect())
        .addString(row.provider())
        .addString(row.model())
        .addInteger(row.stream() ? 1 : 0)
        .addInteger(row.status())
        .addString(row.errorType())
        .addString(row.errorMessage())
        .addDouble(row.latencyMs())
        .addDouble(row.ttftMs())
        .addDouble(row.upstreamMs())
        .addInteger(row.promptTokens())
        .addInteger(row.completionTokens())
        .addInteger(row.cachedTokens())
        .addInteger(row.cacheHit() ? 1 : 0)
        .addString(row.keyId())
        .addString(row.requestBody())
        .addString(row.responseBody());
  }
}
