package io.lmbridge.provider;

import io.lmbridge.chat.ApiError;
import io.lmbridge.chat.ApiException;
import io.lmbridge.chat.ChatRequest;
import io.lmbridge.chat.ChatResponse;
import io.lmbridge.config.LiveConfig;
import io.lmbridge.config.ProviderConfig;
import io.lmbridge.config.RetryConfig;
import io.lmbridge.config.TimeoutConfig;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
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

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * An adapter whose provider is an HTTP API: sends the call, retries 429, 5xx and failed connections
 * with backoff while nothing has reached the client yet, maps error bodies, and relays streams.
 * Subclasses translate the request, the response and the stream events of their wire format.
 * Settings are read per call, so a reloaded key or base URL applies to the next request.
 */
public abstract class HttpProviderVerticle extends ProviderVerticle {

  private static final int POOLED_CONNECTION_IDLE_SECONDS = 60;
  private static final int MAX_POOLED_CONNECTIONS = 512;

  protected final LiveConfig config;
  private HttpClient http;
  private ImageFetcher images;

  protected HttpProviderVerticle(String providerName, LiveConfig config) {
    super(providerName);
    this.config = config;
  }

  /** The upstream request for a call; a future because some providers need images fetched first. */
  protected abstract Future<UpstreamRequest> prepare(ProviderConfig provider, ChatRequest request);

  /** A successful non-streamed response body in canonical terms. */
  protected abstract ChatResponse parseResponse(ProviderConfig provider, ChatRequest request, JsonObject body);

  /** A fresh decoder for one streamed response. */
  protected abstract StreamRelay.Decoder streamDecoder(ProviderConfig provider, ChatRequest request);

  /** Local servers such as Ollama take no key. */
  protected boolean requiresKey() {
    return true;
  }

  @Override
  public Future<?> start() {
    http = vertx.createHttpClient(
        new HttpClientOptions()
            .setKeepAlive(true)
            .setIdleTimeout(POOLED_CONNECTION_IDLE_SECONDS)
            .setDecompressionSupported(true),
        new PoolOptions().setHttp1MaxSize(MAX_POOLED_CONNECTIONS));
    images = new ImageFetcher(vertx, http);
    return super.start();
  }

  /** The headers of a JSON call, with the provider's configured extras; adapters add their credentials. */
  protected static MultiMap jsonHeaders(ProviderConfig provider, ChatRequest request) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap()
        .add(HttpHeaders.CONTENT_TYPE, "application/json")
        .add(HttpHeaders.ACCEPT, request.stream() ? "text/event-stream" : "application/json");
    provider.headers().forEach(headers::add);
    return headers;
  }

  /** The client adapters use for calls of their own, such as listing a provider's models. */
  protected HttpClient http() {
    return http;
  }

  /** The request's images as bytes, for providers that take no image URLs; see {@link ImageFetcher}. */
  protected Future<InlineImages> inlineImages(ChatRequest request) {
    return images.inline(request, config.get().images());
  }

  @Override
  protected final Future<ChatResponse> complete(ChatRequest request, CallContext call) {
    ProviderConfig provider = settings();
    return exchange(provider, request, call, response -> response.body().compose(body -> {
      try {
        return Future.succeededFuture(parseResponse(provider, request, body.toJsonObject()));
      } catch (DecodeException | ClassCastException | NullPointerException e) {
        return Future.failedFuture(ApiError.upstream(502, provider.name() + ": upstream sent a malformed response")
            .exception());
      }
    }));
  }

  @Override
  protected final Future<Void> stream(ChatRequest request, EventSink sink, CallContext call) {
    ProviderConfig provider = settings();
    return exchange(provider, request, call, response -> {
      StreamRelay.relay(provider.name(), response, streamDecoder(provider, request), sink);
      return Future.succeededFuture();
    });
  }

  /**
   * Sends the request, retrying as configured, and hands a 2xx response to {@code onResponse} in the
   * callback that received it, before any of its body can arrive unhandled.
   */
  private <T> Future<T> exchange(ProviderConfig provider, ChatRequest request, CallContext call,
                                 Function<HttpClientResponse, Future<T>> onResponse) {
    if (requiresKey() && !provider.hasKey()) {
      return Future.failedFuture(missingKey(provider.name(), provider.apiKeyVariable()).exception());
    }
    return prepare(provider, request)
        .compose(upstream -> attempt(provider, upstream, call, onResponse, 0));
  }

  private <T> Future<T> attempt(ProviderConfig provider, UpstreamRequest upstream, CallContext call,
                                Function<HttpClientResponse, Future<T>> onResponse, int retry) {
    TimeoutConfig timeouts = config.get().timeouts();
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setAbsoluteURI(upstream.uri())
        .setConnectTimeout(TimeUnit.SECONDS.toMillis(timeouts.connectSeconds()))
        .setIdleTimeout(TimeUnit.SECONDS.toMillis(timeouts.streamIdleSeconds()))
        .setHeaders(upstream.headers());
    Future<T> outcome = http.request(options)
        .recover(failure -> Future.failedFuture(UpstreamError.unreachable(provider.name(), failure).exception()))
        .compose(sending -> {
          call.onCancel(sending::reset);
          return sending.send(upstream.body()).transform(sent -> {
            if (sent.failed()) {
              return Future.failedFuture(UpstreamError.unreachable(provider.name(), sent.cause()).exception());
            }
            HttpClientResponse response = sent.result();
            if (response.statusCode() / 100 != 2) {
              return response.body().compose(body -> Future.failedFuture(upstreamError(provider, response, body)));
            }
            return onResponse.apply(response);
          });
        });
    return outcome.recover(failure -> {
      long delay = retryDelay(failure, retry);
      if (delay < 0 || call.isCancelled()) {
        return Future.failedFuture(failure);
      }
      Promise<T> retried = Promise.promise();
      long timer = vertx.setTimer(Math.max(1, delay), fired ->
          attempt(provider, upstream, call, onResponse, retry + 1).onComplete(retried));
      call.onCancel(() -> {
        if (vertx.cancelTimer(timer)) {
          retried.tryFail(failure);
        }
      });
      return retried.future();
    });
  }

  /** Milliseconds to wait before retrying after {@code failure}, or -1 not to retry. */
  private long retryDelay(Throwable failure, int retry) {
    RetryConfig retries = config.get().retries();
    if (retry >= retries.maxRetries() || !(failure instanceof ApiException api) || !isRetryable(api.error())) {
      return -1;
    }
    Long retryAfter = retryAfterMillis(api.error().retryAfter());
    if (retryAfter != null) {
      return retryAfter <= retries.maxBackoffMillis() ? retryAfter : -1;
    }
    long ceiling = Math.min(retries.maxBackoffMillis(), (long) retries.initialBackoffMillis() << retry);
    // Jitter, so that clients failing together do not retry together.
    return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
  }

  private static boolean isRetryable(ApiError error) {
    return error.status() == 429 || error.status() >= 500 && error.status() != 501
        || UpstreamError.UNREACHABLE.equals(error.code());
  }

  /** {@code Retry-After} in seconds; the HTTP-date form is rare from APIs and falls back to backoff. */
  private static Long retryAfterMillis(String retryAfter) {
    if (retryAfter == null) {
      return null;
    }
    try {
      return TimeUnit.SECONDS.toMillis(Long.parseLong(retryAfter.strip()));
    } catch (NumberFormatException httpDate) {
      return null;
    }
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
}
