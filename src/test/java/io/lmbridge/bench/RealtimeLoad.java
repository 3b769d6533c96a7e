package io.lmbridge.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Load for {@code scripts/bench-realtime.sh}: opens SESSIONS realtime sessions at once against a
 * gateway whose provider is {@link MockUpstream}, waits until every one has its
 * {@code session.created}, then has each ask for RESPONSES responses one after another, so that up
 * to SESSIONS responses stream at a time. Prints one line of {@code key=value} pairs: sessions asked
 * for and opened, responses asked for and completed whole, error events, and percentiles in
 * milliseconds of the time to the first text delta and to {@code response.done}.
 *
 * <p>Usage: {@code RealtimeLoad WS_URL MODEL SESSIONS RESPONSES}, for instance
 * {@code RealtimeLoad ws://127.0.0.1:18094/v1/realtime openai:bench-delay-50 200 10}
 */
public final class RealtimeLoad {

  /** Generous: a response slower than this on average is a failure, not a data point. */
  private static final long SECONDS_PER_RESPONSE = 30;

  private RealtimeLoad() {
  }

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 4) {
      System.err.println("usage: RealtimeLoad WS_URL MODEL SESSIONS RESPONSES");
      System.exit(2);
    }
    int sessions = Integer.parseInt(args[2]);
    int responses = Integer.parseInt(args[3]);
    Vertx vertx = Vertx.vertx();
    // Vert.x caps WebSockets per host at 50 by default and queues the rest: every session must be open at once.
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(sessions));
    WebSocketConnectOptions target = new WebSocketConnectOptions().setAbsoluteURI(args[0] + "?model=" + args[1])
        .putHeader("Authorization", "Bearer bench");

    List<Future<RealtimeLoadSession>> opening = new ArrayList<>();
    for (int i = 0; i < sessions; i++) {
      opening.add(RealtimeLoadSession.open(client, target, responses));
    }
    List<RealtimeLoadSession> open = new ArrayList<>();
    await(Future.join(opening).otherwiseEmpty(), SECONDS_PER_RESPONSE);
    opening.stream().filter(Future::succeeded).forEach(session -> open.add(session.result()));

    long started = System.nanoTime();
    boolean finished = await(Future.join(open.stream().map(RealtimeLoadSession::run).toList()).otherwiseEmpty(),
        SECONDS_PER_RESPONSE * responses);
    double seconds = (System.nanoTime() - started) / 1e9;
    vertx.close();
    if (!finished) {
      System.err.println("RealtimeLoad: sessions still running after " + SECONDS_PER_RESPONSE * responses + " s");
      System.exit(1);
    }
    System.out.println(summary(sessions, responses, open, seconds));
    System.exit(0);
  }

  private static boolean await(Future<?> future, long seconds) throws InterruptedException {
    try {
      future.await(seconds, TimeUnit.SECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    }
  }

  private static String summary(int sessions, int responses, List<RealtimeLoadSession> open, double seconds) {
    long[] firstDelta = Latencies.sorted(open.stream().map(session -> session.firstDelta).toList());
    long[] whole = Latencies.sorted(open.stream().map(session -> session.whole).toList());
    int completed = open.stream().mapToInt(session -> session.completed).sum();
    int errorEvents = open.stream().mapToInt(session -> session.errorEvents).sum();
    return String.format(Locale.ROOT, "sessions=%d opened=%d responses=%d completed=%d failed=%d error_events=%d "
            + "first_delta_p50_ms=%.3f first_delta_p99_ms=%.3f response_p50_ms=%.3f response_p99_ms=%.3f "
            + "responses_per_s=%.1f seconds=%.2f",
        sessions, open.size(), sessions * responses, completed, sessions * responses - completed, errorEvents,
        Latencies.percentileMillis(firstDelta, 50), Latencies.percentileMillis(firstDelta, 99),
        Latencies.percentileMillis(whole, 50), Latencies.percentileMillis(whole, 99), completed / seconds, seconds);
  }
}
