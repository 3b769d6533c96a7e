package io.lmbridge.ingress.realtime;

import io.lmbridge.bus.ChatClient;
import io.lmbridge.config.LiveConfig;
import io.lmbridge.config.RealtimeConfig;
import io.lmbridge.ingress.InFlightRequests;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.core.shareddata.Shareable;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code /v1/realtime}: OpenAI's Realtime protocol over a WebSocket on the gateway's HTTP port, for
 * every model the gateway routes. It admits sessions up to the node's cap and starts one
 * {@link RealtimeSession} per socket.
 */
public final class RealtimeEndpoint {

  public static final String PATH = "/v1/realtime";

  private final SessionServices services;
  private final AtomicInteger sessions;

  public RealtimeEndpoint(Vertx vertx, ChatClient client, LiveConfig config, InFlightRequests inFlight) {
    this.services = new SessionServices(vertx, client, config, inFlight);
    this.sessions = vertx.sharedData().<String, SessionCount>getLocalMap(PATH)
        .computeIfAbsent("sessions", key -> new SessionCount()).open;
  }

  /**
   * The server's WebSocket settings. Any offered subprotocol is accepted and echoed ({@code *}):
   * browser clients put the API key in one ({@code openai-insecure-api-key.<key>}), and a browser
   * fails the connection unless the server picks one of those offered.
   */
  public static HttpServerOptions configure(HttpServerOptions options, RealtimeConfig settings) {
    return options.setWebSocketSubProtocols(List.of("*"))
        .setMaxWebSocketFrameSize(settings.maxFrameBytes())
        .setMaxWebSocketMessageSize(settings.maxMessageBytes());
  }

  public void handshake(ServerWebSocketHandshake handshake) {
    if (!PATH.equals(handshake.path())) {
      handshake.reject(404);
      return;
    }
    if (sessions.incrementAndGet() > services.config().get().realtime().maxSessions()) {
      sessions.decrementAndGet();
      handshake.reject(503);
      return;
    }
    handshake.accept().onFailure(failed -> sessions.decrementAndGet());
  }

  public void connect(ServerWebSocket socket) {
    List<String> model = new QueryStringDecoder(socket.uri()).parameters().get("model");
    new RealtimeSession(services, socket, RealtimeDialect.of(socket.headers()), model == null ? null : model.get(0),
        sessions::decrementAndGet).start();
  }

  /** Open sessions, counted across the node's ingress instances (which share one Vert.x). */
  private static final class SessionCount implements Shareable {
    final AtomicInteger open = new AtomicInteger();
  }
}
