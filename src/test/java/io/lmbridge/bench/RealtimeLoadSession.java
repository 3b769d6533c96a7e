package io.lmbridge.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.TimeUnit;

/**
 * One session of {@link RealtimeLoad}: once started, it asks for its responses one after another,
 * each to a new user message, and times each from its {@code response.create} to its first text
 * delta and to its {@code response.done}. A response counts only if it is {@code completed}, carries
 * the mock's whole text and drew no {@code error} event. Its callbacks run one at a time on the
 * socket's context; its results are read once {@link #run} has finished.
 */
final class RealtimeLoadSession {

  private static final String CREATE_ITEM = new JsonObject().put("type", "conversation.item.create")
      .put("item", new JsonObject().put("type", "message").put("role", "user").put("content", new JsonArray()
          .add(new JsonObject().put("type", "input_text").put("text", "Say hello.")))).encode();

  final Latencies firstDelta = new Latencies();
  final Latencies whole = new Latencies();
  int completed;
  int errorEvents;

  private final int responses;
  private final Promise<RealtimeLoadSession> opened = Promise.promise();
  private final Promise<Void> finished = Promise.promise();
  private final StringBuilder answer = new StringBuilder();
  private WebSocket socket;
  private Context context;
  private int started;
  private String responseEventId;
  private long sentAt;
  private long firstDeltaMicros;
  private boolean failed;

  private RealtimeLoadSession(int responses) {
    this.responses = responses;
  }

  /** A session whose {@code session.created} has arrived. */
  static Future<RealtimeLoadSession> open(WebSocketClient client, WebSocketConnectOptions target, int responses) {
    RealtimeLoadSession session = new RealtimeLoadSession(responses);
    // Handlers go on before connecting: session.created can arrive with the handshake's answer.
    ClientWebSocket socket = client.webSocket();
    session.socket = socket;
    socket.textMessageHandler(session::onEvent);
    socket.closeHandler(v -> {
      session.opened.tryFail("closed before session.created");
      session.finished.tryComplete();
    });
    return socket.connect(target).compose(connected -> {
      session.context = Vertx.currentContext();
      return session.opened.future();
    });
  }

  /** Runs every response, then closes; a socket the gateway closes early leaves the rest uncompleted. */
  Future<Void> run() {
    context.runOnContext(v -> next());
    return finished.future();
  }

  private void next() {
    if (started == responses) {
      socket.close();
      return;
    }
    started++;
    responseEventId = "bench_" + started;
    answer.setLength(0);
    firstDeltaMicros = -1;
    failed = false;
    socket.writeTextMessage(CREATE_ITEM);
    sentAt = System.nanoTime();
    socket.writeTextMessage(new JsonObject().put("type", "response.create").put("event_id", responseEventId)
        .encode());
  }

  private void onEvent(String text) {
    JsonObject event = new JsonObject(text);
    switch (event.getString("type", "")) {
      case "session.created" -> opened.tryComplete(this);
      case "response.output_text.delta" -> {
        if (firstDeltaMicros < 0) {
          firstDeltaMicros = microsSince(sentAt);
        }
        answer.append(event.getString("delta"));
      }
      case "response.done" -> ended("completed".equals(event.getJsonObject("response").getString("status")));
      case "error" -> {
        errorEvents++;
        failed = true;
        // The gateway refused the response.create itself: no response.done will come for it.
        if (responseEventId != null && responseEventId.equals(event.getJsonObject("error").getString("event_id"))) {
          ended(false);
        }
      }
      default -> {
      }
    }
  }

  private void ended(boolean completedStatus) {
    if (completedStatus && !failed && MockUpstream.TEXT.contentEquals(answer)) {
      completed++;
      firstDelta.add(firstDeltaMicros);
      whole.add(microsSince(sentAt));
    }
    next();
  }

  private static long microsSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - nanos);
  }
}
