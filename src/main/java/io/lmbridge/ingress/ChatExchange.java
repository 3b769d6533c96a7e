package io.lmbridge.ingress;

import io.lmbridge.bus.BusFailures;
import io.lmbridge.bus.ChatClient;
import io.lmbridge.bus.StreamListener;
import io.lmbridge.cache.CacheKey;
import io.lmbridge.cache.ResponseCache;
import io.lmbridge.chat.ApiError;
import io.lmbridge.chat.ChatEvent;
import io.lmbridge.chat.ChatRequest;
import io.lmbridge.chat.ChatResponse;
import io.lmbridge.chat.ChatResponseAccumulator;
import io.lmbridge.chat.ChatResponseEvents;
import io.lmbridge.chat.Ids;
import io.lmbridge.chat.JsonFields;
import io.lmbridge.config.GatewayConfig;
import io.lmbridge.config.LiveConfig;
import io.lmbridge.config.TimeoutConfig;
import io.lmbridge.provider.ModelRouter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs one chat request for any client dialect: routes the model, answers from the cache or calls
 * the provider over the bus, writes the answer (a JSON body, or an SSE stream) with the dialect's
 * renderer, and hands a row to the request log. A client that disconnects, or an operator's stop,
 * cancels the provider's work.
 */
public final class ChatExchange {

  /** Tells clients whether the answer came from the cache. */
  public static final String CACHE_HEADER = "x-lmbridge-cache";
  public static final ApiError STOPPED = new ApiError(503, "server_error",
      "the request was stopped by an operator (POST /v1/service/stop)", null, "request_stopped", null);

  /** Logged only: nginx's status for a client that hung up, since the client can no longer be told. */
  public static final ApiError CLIENT_GONE = new ApiError(499, "client_error",
      "the client closed the connection before the answer was complete", null, "client_closed", null);

  private final Vertx vertx;
  private final ChatClient client;
  private final ResponseCache cache;
  private final LiveConfig config;
  private final InFlightRequests inFlight;

  public ChatExchange(Vertx vertx, ChatClient client, LiveConfig config, InFlightRequests inFlight) {
    this.vertx = vertx;
    this.client = client;
    this.cache = new ResponseCache(vertx.eventBus());
    this.config = config;
    this.inFlight = inFlight;
  }

  /**
   * @param dialect  the client dialect, as the log names it
   * @param body     the client's JSON, for the gateway's own fields ({@code "cache": false})
   * @param request  the parsed request, with the model as the client wrote it
   * @param renderer the dialect's writer, given the resolved route
   */
  public void run(RoutingContext ctx, String dialect, JsonObject body, ChatRequest request,
                  Function<ModelRouter.Route, ResponseRenderer> renderer) {
    GatewayConfig current = config.get();
    ExchangeLog log = ExchangeLog.of(ctx, current.requestLog(), dialect, request.stream());
    ModelRouter.Route route = ModelRouter.resolve(current, request.model());
    log.route(route);
    ChatRequest upstream = request.withModel(route.model());
    String cacheKey = current.cache().enabled() && !optedOutOfCache(ctx, body) ? CacheKey.of(route.key(), upstream)
        : null;
    new Run(ctx, route, upstream, renderer.apply(route), log, cacheKey).start();
  }

  /** {@code Cache-Control: no-cache} (or {@code no-store}), or {@code "cache": false} in the body. */
  private static boolean optedOutOfCache(RoutingContext ctx, JsonObject body) {
    String control = ctx.request().getHeader(HttpHeaders.CACHE_CONTROL);
    if (control != null && (control.contains("no-cache") || control.contains("no-store"))) {
      return true;
    }
    return Boolean.FALSE.equals(JsonFields.of(body).bool("cache"));
  }

  /** A provider call's identity and time limits, under the current timeouts. */
  public static ChatClient.Call providerCall(ModelRouter.Route route, String requestId, TimeoutConfig timeouts) {
    return new ChatClient.Call(Ids.next(), requestId, "provider '" + route.provider() + "'",
        TimeUnit.SECONDS.toMillis(timeouts.requestSeconds()), TimeUnit.SECONDS.toMillis(timeouts.streamIdleSeconds()));
  }

  private static ApiError errorOf(Throwable failure) {
    return BusFailures.toApiError(failure, "the provider");
  }

  /** One request's state, from the cache lookup to the log row. */
  private final class Run implements StreamListener {

    private final RoutingContext ctx;
    private final HttpServerResponse response;
    private final ModelRouter.Route route;
    private final ChatRequest request;
    private final ResponseRenderer writer;
    private final ExchangeLog log;
    private final String cacheKey;
    private final ChatClient.Call call;
    private SseStream sse;
    private ChatResponseAccumulator accumulator;
    private ApiError streamFailure;
    private Object inFlightHandle;

    Run(RoutingContext ctx, ModelRouter.Route route, ChatRequest request, ResponseRenderer writer, ExchangeLog log,
        String cacheKey) {
      this.ctx = ctx;
      this.response = ctx.response();
      this.route = route;
      this.request = request;
      this.writer = writer;
      this.log = log;
      this.cacheKey = cacheKey;
      this.call = providerCall(route, RequestIds.of(ctx), config.get().timeouts());
    }

    void start() {
      inFlightHandle = inFlight.add(call.requestId(), vertx.getOrCreateContext(), this::stop);
      ctx.addEndHandler(v -> finish());
      response.closeHandler(v -> {
        if (!response.ended()) {
          client.cancel(call.id());
          log.failed(CLIENT_GONE);
          finish();
        }
      });
      if (request.stream()) {
        sse = new SseStream(response, writer.stream());
        accumulator = new ChatResponseAccumulator();
      }
      if (cacheKey == null) {
        callProvider();
      } else {
        cache.lookup(cacheKey).onComplete(found -> {
          if (found.result() != null) {
            answerFromCache(found.result());
          } else {
            callProvider();
          }
        });
      }
    }

    private void answerFromCache(ChatResponse cached) {
      log.cacheHit();
      response.putHeader(CACHE_HEADER, "hit");
      if (sse == null) {
        answer(cached);
      } else {
        onEvents(ChatResponseEvents.of(cached));
        onEnd(null);
      }
    }

    private void callProvider() {
      response.putHeader(CACHE_HEADER, "miss");
      if (sse == null) {
        client.complete(route.address(), call, request).onComplete(done -> {
          if (done.failed()) {
            fail(errorOf(done.cause()));
            return;
          }
          log.upstreamMillis(done.result().upstreamMillis());
          answer(done.result().response());
          if (cacheKey != null) {
            cache.store(cacheKey, done.result().response());
          }
        });
      } else {
        client.stream(route.address(), call, request, this).onComplete(accepted -> {
          if (accepted.succeeded()) {
            sse.begin();
          } else if (sse.started()) {
            onEvents(List.of(new ChatEvent.Failure(errorOf(accepted.cause()))));
            onEnd(null);
          } else {
            sse.abandon();
            fail(errorOf(accepted.cause()));
          }
        });
      }
    }

    private void answer(ChatResponse result) {
      if (response.ended() || response.closed()) {
        return;
      }
      Buffer body = writer.response(result).toBuffer();
      log.answered(result.usage(), body::toString);
      response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body);
    }

    private void fail(ApiError error) {
      log.failed(error);
      HttpErrors.send(response, error);
    }

    @Override
    public void onEvents(List<ChatEvent> events) {
      log.firstEvent();
      for (ChatEvent event : events) {
        if (event instanceof ChatEvent.Failure failure) {
          streamFailure = failure.error();
        }
        accumulator.accept(event);
      }
      sse.events(events);
    }

    @Override
    public void onEnd(Double upstreamMillis) {
      if (sse.ended()) {
        return;
      }
      log.upstreamMillis(upstreamMillis);
      ChatResponse result = accumulator.response();
      if (streamFailure != null) {
        log.failed(streamFailure);
      } else {
        log.answered(result.usage(), () -> writer.response(result).encode());
        if (cacheKey != null && !log.wasCacheHit()) {
          cache.store(cacheKey, result);
        }
      }
      sse.end();
    }

    /** An operator's stop: the provider is told to stop and the client gets a proper end. */
    private void stop() {
      client.cancel(call.id());
      if (sse == null) {
        fail(STOPPED);
      } else if (!sse.ended()) {
        if (sse.started()) {
          onEvents(List.of(new ChatEvent.Failure(STOPPED)));
          onEnd(null);
        } else {
          sse.abandon();
          fail(STOPPED);
        }
      }
    }

    private void finish() {
      inFlight.remove(inFlightHandle);
      log.send(vertx.eventBus());
    }
  }
}
