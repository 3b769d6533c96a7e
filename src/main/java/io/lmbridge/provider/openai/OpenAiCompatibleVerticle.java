package io.lmbridge.provider.openai;

import io.lmbridge.chat.ApiError;
import io.lmbridge.chat.ChatEvent;
import io.lmbridge.chat.ChatRequest;
import io.lmbridge.chat.ChatResponse;
import io.lmbridge.chat.openai.ChatCompletionsChunks;
import io.lmbridge.chat.openai.ChatCompletionsRequests;
import io.lmbridge.chat.openai.ChatCompletionsResponses;
import io.lmbridge.config.LiveConfig;
import io.lmbridge.config.ProviderConfig;
import io.lmbridge.config.TimeoutConfig;
import io.lmbridge.provider.CallContext;
import io.lmbridge.provider.EventSink;
import io.lmbridge.provider.ProviderVerticle;
import io.lmbridge.provider.SseRelay;
import io.lmbridge.provider.UpstreamError;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The adapter for every upstream that speaks OpenAI Chat Completions: OpenAI, xAI and the
 * OpenAI-compatible servers declared in config. Settings are read per call, so a reloaded key or
 * base URL applies to the next request.
 */
public final class OpenAiCompatibleVerticle extends ProviderVerticle {

  private static final String DONE = "[DONE]";
  private static final int POOLED_CONNECTION_IDLE_SECONDS = 60;

  private final LiveConfig config;
  private HttpClient http;

  public OpenAiCompatibleVerticle(String providerName, LiveConfig config) {
    super(providerName);
    this.config = config;
  }

  @Override
  public Future<?> start() {
    http = vertx.createHttpClient(
        new HttpClientOptions()
            .setKeepAlive(true)
            .setIdleTimeout(POOLED_CONNECTION_IDLE_SECONDS)
            .setDecompressionSupported(true),
        new PoolOptions().setHttp1MaxSize(512));
    return super.start();
  }

  @Override
  protected Future<ChatResponse> complete(ChatRequest request, CallContext call) {
    ProviderConfig provider = settings();
    return exchange(provider, request, call, response -> response.body().compose(body -> {
      if (response.statusCode() / 100 != 2) {
        return Future.failedFuture(upstreamError(provider, response, body));
      }
      try {
        return Future.succeededFuture(ChatCompletionsResponses.parse(body.toJsonObject()));
      } catch (DecodeException | ClassCastException e) {
        return Future.failedFuture(ApiError.upstream(502, provider.name() + ": upstream sent a malformed response")
            .exception());
      }
    }));
  }

  @Override
  protected Future<Void> stream(ChatRequest request, EventSink sink, CallContext call) {
    ProviderConfig provider = settings();
    return exchange(provider, request, call, response -> {
      if (response.statusCode() / 100 != 2) {
        return response.body().compose(body -> Future.failedFuture(upstreamError(provider, response, body)));
      }
      SseRelay.relay(provider.name(), response, new ChunkDecoder(provider.name()), sink);
      return Future.succeededFuture();
    });
  }

  /**
   * Sends the request and hands the response to {@code onResponse} in the callback that received it,
   * before any of its body can arrive unhandled.
   */
  private <T> Future<T> exchange(ProviderConfig provider, ChatRequest request, CallContext call,
                                 Function<HttpClientResponse, Future<T>> onResponse) {
    if (!provider.hasKey()) {
      return Future.failedFuture(missingKey(provider.name(), provider.apiKeyVariable()).exception());
    }
    Buffer body = ChatCompletionsRequests.write(request, provider.maxTokensField()).toBuffer();
    TimeoutConfig timeouts = config.get().timeouts();
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setAbsoluteURI(provider.baseUrl() + "/chat/completions")
        .setConnectTimeout(TimeUnit.SECONDS.toMillis(timeouts.connectSeconds()))
        .setIdleTimeout(TimeUnit.SECONDS.toMillis(timeouts.streamIdleSeconds()))
        .setHeaders(headers(provider, request.stream()));
    return http.request(options)
        .recover(failure -> Future.failedFuture(UpstreamError.unreachable(provider.name(), failure).exception()))
        .compose(upstream -> {
          call.onCancel(upstream::reset);
          return upstream.send(body).transform(sent -> sent.succeeded() ? onResponse.apply(sent.result())
              : Future.failedFuture(UpstreamError.unreachable(provider.name(), sent.cause()).exception()));
        });
  }

  private static MultiMap headers(ProviderConfig provider, boolean stream) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap()
        .add(HttpHeaders.CONTENT_TYPE, "application/json")
        .add(HttpHeaders.ACCEPT, stream ? "text/event-stream" : "application/json")
        .add(HttpHeaders.AUTHORIZATION, "Bearer " + provider.apiKey());
    provider.headers().forEach(headers::add);
    return headers;
  }

  private static RuntimeException upstreamError(ProviderConfig provider, HttpClientResponse response, Buffer body) {
    return UpstreamError.of(provider.name(), response.statusCode(), body,
        response.getHeader(HttpHeaders.RETRY_AFTER)).exception();
  }

  private ProviderConfig settings() {
    return config.get().provider(providerName())
        .orElseThrow(() -> ApiError.notFound("provider '" + providerName() + "' is no longer configured",
            "model", "model_not_found").exception());
  }

  /** OpenAI's stream: {@code chat.completion.chunk} events, closed by {@code [DONE]}. */
  private record ChunkDecoder(String provider) implements SseRelay.Decoder {

    @Override
    public List<ChatEvent> decode(String event, String data) {
      return ChatCompletionsChunks.parse(new JsonObject(data), provider);
    }

    @Override
    public boolean isLast(String event, String data) {
      return DONE.equals(data);
    }
  }
}
