package io.lmbridge.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Closed-loop load for {@code scripts/bench.sh}: CONCURRENCY workers each send a Chat Completions
 * request, read the whole response (a stream up to its last byte), and send the next, first for a
 * warmup that is not recorded and then for the measured period. Prints one line of
 * {@code key=value} pairs: requests per second, latency percentiles in milliseconds, and errors,
 * all counted over the requests that completed within the measured period.
 *
 * <p>Usage: {@code LoadGenerator URL MODEL CONCURRENCY WARMUP_SECONDS MEASURE_SECONDS stream|complete}
 */
public final class LoadGenerator {

  /** Generous: a request slower than this is a failure, not a data point. */
  private static final long REQUEST_IDLE_TIMEOUT_MILLIS = 30_000;
  /** How long in-flight requests may take to finish once the measured period is over. */
  private static final long DRAIN_SECONDS = 60;

  private final HttpClient client;
  private final RequestOptions target;
  private final String body;
  private final boolean stream;
  private final long measureStart;
  private final long measureEnd;
  private final CountDownLatch finished;

  private LoadGenerator(Vertx vertx, String url, String model, int concurrency, long warmupNanos, long measureNanos,
      boolean stream) {
    // One pooled keep-alive connection per worker: no request waits for a connection, none is reopened.
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(concurrency));
    this.target = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
        .putHeader("Content-Type", "application/json").putHeader("Authorization", "Bearer bench")
        .setIdleTimeout(REQUEST_IDLE_TIMEOUT_MILLIS);
    this.body = requestBody(model, stream);
    this.stream = stream;
    this.measureStart = System.nanoTime() + warmupNanos;
    this.measureEnd = measureStart + measureNanos;
    this.finished = new CountDownLatch(concurrency);
  }

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 6 || !args[5].matches("stream|complete")) {
      System.err.println("usage: LoadGenerator URL MODEL CONCURRENCY WARMUP_SECONDS MEASURE_SECONDS stream|complete");
      System.exit(2);
    }
    int concurrency = Integer.parseInt(args[2]);
    long warmupSeconds = Long.parseLong(args[3]);
    long measureSeconds = Long.parseLong(args[4]);
    Vertx vertx = Vertx.vertx();
    LoadGenerator load = new LoadGenerator(vertx, args[0], args[1], concurrency,
        TimeUnit.SECONDS.toNanos(warmupSeconds), TimeUnit.SECONDS.toNanos(measureSeconds),
        args[5].equals("stream"));

    Worker[] workers = new Worker[concurrency];
    for (int i = 0; i < concurrency; i++) {
      workers[i] = load.new Worker();
      workers[i].sendNext();
    }
    boolean drained = load.finished.await(warmupSeconds + measureSeconds + DRAIN_SECONDS, TimeUnit.SECONDS);
    vertx.close();
    if (!drained) {
      System.err.println("LoadGenerator: requests still in flight " + DRAIN_SECONDS + " s after the measured period");
      System.exit(1);
    }
    System.out.println(summary(workers, measureSeconds));
    System.exit(0);
  }

  /** A small conversation, the same for every request and both targets. */
  private static String requestBody(String model, boolean stream) {
    return new JsonObject()
        .put("model", model)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Say hello.")))
        .put("stream", stream)
        .encode();
  }

  /** One closed loop: the next request leaves only when the previous response has been read in full. */
  private final class Worker {
    // Touched only by this worker's callbacks, which run one after another; the latch publishes them.
    private final Latencies latencies = new Latencies();
    private int errors;

    void sendNext() {
      long started = System.nanoTime();
      if (started >= measureEnd) {
        finished.countDown();
        return;
      }
      // The body is read in the callback that gets the response, before any of it can go unhandled.
      client.request(target)
          .compose(request -> request.send(body).compose(response -> response.body()
              .map(content -> response.statusCode() == 200 && arrivedWhole(content))))
          .onComplete(result -> {
            long ended = System.nanoTime();
            if (ended >= measureStart && ended < measureEnd) {
              if (result.succeeded() && result.result()) {
                latencies.add(TimeUnit.NANOSECONDS.toMicros(ended - started));
              } else {
                errors++;
              }
            }
            sendNext();
          });
    }

    /** A stream that breaks off mid-way still has status 200: only its closing {@code [DONE]} proves it whole. */
    private boolean arrivedWhole(Buffer content) {
      if (!stream) {
        return true;
      }
      int tail = Math.min(content.length(), 32);
      return content.getString(content.length() - tail, content.length()).contains("data: [DONE]");
    }
  }

  private static String summary(Worker[] workers, long measureSeconds) {
    long[] all = Latencies.sorted(Arrays.stream(workers).map(worker -> worker.latencies).toList());
    int errors = Arrays.stream(workers).mapToInt(worker -> worker.errors).sum();
    return String.format(Locale.ROOT, "rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f requests=%d errors=%d",
        (double) all.length / measureSeconds, Latencies.percentileMillis(all, 50), Latencies.percentileMillis(all, 90),
        Latencies.percentileMillis(all, 99), all.length, errors);
  }
}
