package io.lmbridge.provider.ollama;

import io.lmbridge.bus.Addresses;
import io.lmbridge.bus.ModelListing;
import io.lmbridge.chat.ChatRequest;
import io.lmbridge.chat.ChatResponse;
import io.lmbridge.config.LiveConfig;
import io.lmbridge.config.ProviderConfig;
import io.lmbridge.provider.HttpProviderVerticle;
import io.lmbridge.provider.StreamRelay;
import io.lmbridge.provider.UpstreamRequest;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The adapter for an Ollama server: {@code POST /api/chat}, streamed as newline-delimited JSON, no
 * key. It also lists the server's models ({@code GET /api/tags}) for {@code /v1/models}.
 */
public final class OllamaVerticle extends HttpProviderVerticle {

  /** Models come and go with {@code ollama pull}; a short cache spares the server a call per listing. */
  private static final long TAGS_CACHE_MILLIS = 10_000;
  /** A server that is down or unreachable must not hold up the model list. */
  private static final long TAGS_TIMEOUT_MILLIS = 1_500;

  private Future<List<String>> tags;
  private long tagsFetchedAt;

  public OllamaVerticle(String providerName, LiveConfig config) {
    super(providerName, config);
  }

  @Override
  public Future<?> start() {
    return super.start().compose(started -> vertx.eventBus()
        .consumer(Addresses.models(providerName()), request ->
            tags().onSuccess(models -> ModelListing.reply(request, models))
                .onFailure(failure -> request.fail(502, failure.getMessage())))
        .completion());
  }

  @Override
  protected boolean requiresKey() {
    return false;
  }

  @Override
  protected Future<UpstreamRequest> prepare(ProviderConfig provider, ChatRequest request) {
    return inlineImages(request).map(images -> {
      MultiMap headers = MultiMap.caseInsensitiveMultiMap().add(HttpHeaders.CONTENT_TYPE, "application/json");
      if (provider.hasKey()) {
        // Ollama itself takes no key, but servers behind an authenticating proxy (or ollama.com) do.
        headers.add(HttpHeaders.AUTHORIZATION, "Bearer " + provider.apiKey());
      }
      provider.headers().forEach(headers::add);
      return new UpstreamRequest(provider.baseUrl() + "/api/chat", headers,
          OllamaRequests.write(request, images).toBuffer());
    });
  }

  @Override
  protected ChatResponse parseResponse(ProviderConfig provider, ChatRequest request, JsonObject body) {
    return new OllamaEvents(provider.name()).whole(body);
  }

  @Override
  protected StreamRelay.Decoder streamDecoder(ProviderConfig provider, ChatRequest request) {
    return new OllamaEvents(provider.name()).decoder(StreamRelay.Framing.NDJSON);
  }

  /** The server's model names, from cache when fresh; a failure is cached too, so a dead server costs one try. */
  private Future<List<String>> tags() {
    long now = System.currentTimeMillis();
    if (tags == null || now - tagsFetchedAt > TAGS_CACHE_MILLIS) {
      tagsFetchedAt = now;
      tags = fetchTags();
    }
    return tags;
  }

  private Future<List<String>> fetchTags() {
    String baseUrl = config.get().provider(providerName()).map(ProviderConfig::baseUrl).orElse(null);
    if (baseUrl == null) {
      return Future.succeededFuture(List.of());
    }
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setAbsoluteURI(baseUrl + "/api/tags")
        .setConnectTimeout(TAGS_TIMEOUT_MILLIS)
        .setIdleTimeout(TAGS_TIMEOUT_MILLIS);
    return http().request(options)
        .compose(request -> request.send().compose(HttpClientResponse::body))
        .map(body -> body.toJsonObject().getJsonArray("models", new JsonArray()).stream()
            .map(model -> ((JsonObject) model).getString("name"))
            .filter(name -> name != null && !name.isEmpty())
            .toList());
  }
}
