package io.lmbridge.ingress;

import io.lmbridge.bus.BusFailures;
import io.lmbridge.bus.ChatClient;
import io.lmbridge.bus.StreamListener;
import io.lmbridge.chat.ApiError;
import io.lmbridge.chat.ChatEvent;
import io.lmbridge.chat.ChatRequest;
import io.lmbridge.chat.Ids;
import io.lmbridge.config.LiveConfig;
import io.lmbridge.config.TimeoutConfig;
import io.lmbridge.provider.ModelRouter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Runs one chat request for any client dialect: routes the model, calls the provider over the bus,
 * and writes the answer (a JSON body, or an SSE stream) with the dialect's renderer. A client that
 * disconnects cancels the provider's work.
 */
public final class ChatExchange {

  private final ChatClient client;
  private final LiveConfig config;
  private final AtomicLong inFlight;

  public ChatExchange(ChatClient client, LiveConfig config, AtomicLong inFlight) {
    this.client = client;
    this.config = config;
    this.inFlight = inFlight;
  }

  /**
   * @param request  the parsed request, with the model as the client wrote it
   * @param renderer the dialect's writer, given the resolved route
   */
  public void run(RoutingContext ctx, ChatRequest request, Function<ModelRouter.Route, ResponseRenderer> renderer) {
    ModelRouter.Route route = ModelRouter.resolve(config.get(), request.model());
    ChatRequest upstream = request.withModel(route.model());
    TimeoutConfig timeouts = config.get().timeouts();
    ChatClient.Call call = new ChatClient.Call(Ids.next(), RequestIds.of(ctx), "provider '" + route.provider() + "'",
        TimeUnit.SECONDS.toMillis(timeouts.requestSeconds()), TimeUnit.SECONDS.toMillis(timeouts.streamIdleSeconds()));
    HttpServerResponse response = ctx.response();
    inFlight.incrementAndGet();
    ctx.addEndHandler(v -> inFlight.decrementAndGet());
    ResponseRenderer writer = renderer.apply(route);
    if (request.stream()) {
      stream(response, route, upstream, call, writer.stream());
    } else {
      response.closeHandler(v -> {
        if (!response.ended()) {
          client.cancel(call.id());
        }
      });
      client.complete(route.address(), call, upstream).onComplete(done -> {
        if (done.succeeded()) {
          response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
              .end(writer.response(done.result()).toBuffer());
        } else {
          HttpErrors.send(response, errorOf(done.cause()));
        }
      });
    }
  }

  private void stream(HttpServerResponse response, ModelRouter.Route route, ChatRequest request,
                      ChatClient.Call call, StreamRenderer renderer) {
    SseStream sse = new SseStream(response, renderer);
    response.closeHandler(v -> {
      if (!sse.ended) {
        client.cancel(call.id());
      }
    });
    client.stream(route.address(), call, request, sse).onComplete(accepted -> {
      if (accepted.succeeded()) {
        sse.begin();
      } else if (sse.started) {
        sse.onEvents(List.of(new ChatEvent.Failure(errorOf(accepted.cause()))));
        sse.onEnd();
      } else {
        sse.ended = true;
        HttpErrors.send(response, errorOf(accepted.cause()));
      }
    });
  }

  private static ApiError errorOf(Throwable failure) {
    return BusFailures.toApiError(failure, "the provider");
  }

  /**
   * Writes a canonical stream as SSE; headers go out with the first frame, not before acceptance.
   * Writes do not wait for {@code writeQueueFull()}: a model produces at most one answer's worth of
   * text, slowly, so a slow client costs that much memory at worst, and pausing would stall nothing
   * upstream because the bus has no back-pressure to pass it to.
   */
  private static final class SseStream implements StreamListener {

    private final HttpServerResponse response;
    private final StreamRenderer renderer;
    boolean started;
    boolean ended;
    private boolean failed;

    SseStream(HttpServerResponse response, StreamRenderer renderer) {
      this.response = response;
      this.renderer = renderer;
    }

    void begin() {
      if (started || ended) {
        return;
      }
      started = true;
      response.setChunked(true)
          .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
          .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
          .putHeader("X-Accel-Buffering", "no");
      write(renderer.start());
    }

    @Override
    public void onEvents(List<ChatEvent> events) {
      if (ended) {
        return;
      }
      begin();
      failed |= events.stream().anyMatch(ChatEvent.Failure.class::isInstance);
      write(renderer.render(events));
    }

    @Override
    public void onEnd() {
      if (ended) {
        return;
      }
      begin();
      if (!failed) {
        write(renderer.end());
      }
      ended = true;
      if (!response.closed()) {
        response.end();
      }
    }

    private void write(List<SseFrame> frames) {
      if (frames.isEmpty() || response.closed()) {
        return;
      }
      Buffer out = Buffer.buffer(256);
      frames.forEach(frame -> frame.appendTo(out));
      response.write(out);
    }
  }
}
