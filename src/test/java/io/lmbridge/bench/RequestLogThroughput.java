package io.lmbridge.bench;

import io.lmbridge.bus.Addresses;
import io.lmbridge.bus.BusCodec;
import io.lmbridge.bus.ServiceActions;
import io.lmbridge.chat.Ids;
import io.lmbridge.config.ConfigLoader;
import io.lmbridge.config.ConfigSources;
import io.lmbridge.config.LiveConfig;
import io.lmbridge.logging.RequestLogRow;
import io.lmbridge.logging.RequestLogVerticle;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * How many rows per second the request log sustains: the logger verticle alone, fed over the event
 * bus as the ingress feeds it, as fast as its queue takes rows without dropping any. Each run writes
 * ROWS rows to a fresh SQLite file and counts from the first row sent to the last one committed.
 *
 * <p>Usage: {@code RequestLogThroughput ROWS RUNS BODY_BYTES}; prints one line per run and the median.
 */
public final class RequestLogThroughput {

  private static final int CHUNK = 1000;

  public static void main(String[] args) throws Exception {
    int rows = Integer.parseInt(args[0]);
    int runs = Integer.parseInt(args[1]);
    int bodyBytes = Integer.parseInt(args[2]);
    List<Double> rates = new ArrayList<>();
    for (int run = 0; run < runs; run++) {
      double rate = run(rows, bodyBytes);
      rates.add(rate);
      System.out.printf("run=%d rows=%d body_bytes=%d rows_per_s=%.0f%n", run + 1, rows, bodyBytes, rate);
    }
    Collections.sort(rates);
    System.out.printf("median rows_per_s=%.0f%n", rates.get(rates.size() / 2));
  }

  private static double run(int rows, int bodyBytes) throws Exception {
    Path dir = Files.createTempDirectory("lmbridge-log-bench");
    Path json = dir.resolve("gateway.json");
    Files.writeString(json, new JsonObject().put("sqlite_db_path", dir.resolve("log.sqlite").toString()).encode());
    ConfigSources sources = new ConfigSources(json, List.of(), List.of(), Map.of(), new JsonObject());
    LiveConfig config = new LiveConfig(sources, ConfigLoader.load(sources));
    Vertx vertx = Vertx.vertx();
    try {
      BusCodec.register(vertx.eventBus());
      vertx.deployVerticle(new RequestLogVerticle(config)).await();
      int capacity = config.get().requestLog().queueCapacity();
      String body = "x".repeat(bodyBytes);
      Promise<Long> done = Promise.promise();
      long started = System.nanoTime();
      vertx.runOnContext(v -> feed(vertx, rows, 0, capacity, body, done, started));
      return rows / (done.future().await() / 1e9);
    } finally {
      vertx.close().await();
    }
  }

  /** Sends rows in chunks while the logger's queue has room, then waits until all are committed. */
  private static void feed(Vertx vertx, int rows, int sent, int capacity, String body, Promise<Long> done,
                           long started) {
    stats(vertx).onSuccess(stats -> {
      if (stats.getLong("rows_dropped") > 0) {
        done.fail("rows were dropped: the feed outran the queue");
        return;
      }
      if (stats.getLong("rows_written") == rows) {
        done.complete(System.nanoTime() - started);
        return;
      }
      int next = sent;
      if (sent < rows && stats.getInteger("rows_queued") < capacity - CHUNK) {
        for (int i = 0; i < CHUNK && next < rows; i++, next++) {
          vertx.eventBus().send(Addresses.REQUEST_LOG, row(body));
        }
      }
      int total = next;
      vertx.setTimer(1, t -> feed(vertx, rows, total, capacity, body, done, started));
    });
  }

  private static io.vertx.core.Future<JsonObject> stats(Vertx vertx) {
    return vertx.eventBus().<JsonObject>request(Addresses.REQUEST_LOG_QUERY, null,
        new DeliveryOptions().addHeader(ServiceActions.ACTION, ServiceActions.STATS)).map(Message::body);
  }

  private static RequestLogRow row(String body) {
    return new RequestLogRow(Ids.timeOrdered(), System.currentTimeMillis(), "/v1/chat/completions",
        "chat_completions", "openai", "openai:bench", false, 200, null, null, 51.2, null, 50.9, 11, 7, 3, false,
        null, body, body);
  }
}
