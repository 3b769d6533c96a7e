package io.lmbridge.ingress.realtime;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A plain WebSocket client for what the SDK hides: subprotocols, headers, raw frames, every event. */
final class RawRealtimeClient implements AutoCloseable {

  /** Held, since Vert.x closes an unreachable client, and its sockets with it, when it is collected. */
  private final WebSocketClient client;
  private final ClientWebSocket socket;
  private final BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
  private volatile Short closeStatus;

  private RawRealtimeClient(WebSocketClient client, ClientWebSocket socket) {
    this.client = client;
    this.socket = socket;
    socket.textMessageHandler(text -> events.add(new JsonObject(text)));
    socket.closeHandler(v -> closeStatus = socket.closeStatusCode() == null ? -1 : socket.closeStatusCode());
  }

  static Future<RawRealtimeClient> connect(Vertx vertx, int port, WebSocketConnectOptions options) {
    WebSocketClient client = vertx.createWebSocketClient();
    // Handlers go on before connecting: the server's first event can arrive with the handshake's
    // answer, before a callback on the connection could set them, and would then be dropped.
    RawRealtimeClient raw = new RawRealtimeClient(client, client.webSocket());
    return raw.socket.connect(options.setHost("127.0.0.1").setPort(port))
        .map(raw)
        .onFailure(refused -> client.close());
  }

  static RawRealtimeClient open(Vertx vertx, int port, String uri) {
    return connect(vertx, port, new WebSocketConnectOptions().setURI(uri)).await();
  }

  String subProtocol() {
    return socket.subProtocol();
  }

  RawRealtimeClient send(JsonObject event) {
    socket.writeTextMessage(event.encode()).await();
    return this;
  }

  RawRealtimeClient sendText(String text) {
    socket.writeTextMessage(text).await();
    return this;
  }

  JsonObject next() {
    try {
      JsonObject event = events.poll(10, TimeUnit.SECONDS);
      if (event == null) {
        throw new AssertionError("no event within 10 s");
      }
      return event;
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** The events up to and including the first of {@code type}. */
  List<JsonObject> until(String type) {
    List<JsonObject> seen = new ArrayList<>();
    JsonObject event;
    do {
      try {
        event = next();
      } catch (AssertionError e) {
        throw new AssertionError("no " + type + " after " + seen, e);
      }
      seen.add(event);
    } while (!type.equals(event.getString("type")));
    return seen;
  }

  JsonObject next(String type) {
    List<JsonObject> seen = until(type);
    return seen.get(seen.size() - 1);
  }

  /** Nothing more arrives within {@code millis}. */
  boolean quietFor(long millis) throws InterruptedException {
    return events.poll(millis, TimeUnit.MILLISECONDS) == null;
  }

  /** The close status once the server closed, or null while open. */
  Short closeStatus() {
    return closeStatus;
  }

  @Override
  public void close() {
    if (!socket.isClosed()) {
      socket.close().await();
    }
    client.close().await();
  }
}
