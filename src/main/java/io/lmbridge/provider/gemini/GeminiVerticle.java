package io.lmbridge.provider.gemini;

import io.lmbridge.chat.ChatRequest;
import io.lmbridge.chat.ChatResponse;
import io.lmbridge.config.LiveConfig;
import io.lmbridge.config.ProviderConfig;
import io.lmbridge.provider.HttpProviderVerticle;
import io.lmbridge.provider.StreamRelay;
import io.lmbridge.provider.UpstreamRequest;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The adapter for Google's Gemini API: {@code models/{model}:generateContent}, and
 * {@code :streamGenerateContent?alt=sse} for streams, keyed by {@code x-goog-api-key}.
 */
public final class GeminiVerticle extends HttpProviderVerticle {

  public GeminiVerticle(String providerName, LiveConfig config) {
    super(providerName, config);
  }

  @Override
  protected Future<UpstreamRequest> prepare(ProviderConfig provider, ChatRequest request) {
    return inlineImages(request).map(images -> {
      MultiMap headers = MultiMap.caseInsensitiveMultiMap()
          .add(HttpHeaders.CONTENT_TYPE, "application/json")
          .add(HttpHeaders.ACCEPT, request.stream() ? "text/event-stream" : "application/json")
          .add("x-goog-api-key", provider.apiKey());
      provider.headers().forEach(headers::add);
      String model = URLEncoder.encode(request.model(), StandardCharsets.UTF_8);
      String method = request.stream() ? ":streamGenerateContent?alt=sse" : ":generateContent";
      return new UpstreamRequest(provider.baseUrl() + "/models/" + model + method, headers,
          GeminiRequests.write(request, images).toBuffer());
    });
  }

  @Override
  protected ChatResponse parseResponse(ProviderConfig provider, ChatRequest request, JsonObject body) {
    return new GeminiEvents(provider.name()).whole(body);
  }

  @Override
  protected StreamRelay.Decoder streamDecoder(ProviderConfig provider, ChatRequest request) {
    return new GeminiEvents(provider.name()).decoder(StreamRelay.Framing.SSE);
  }
}
