package io.lmbridge.provider.anthropic;

import io.lmbridge.chat.ChatRequest;
import io.lmbridge.chat.ChatResponse;
import io.lmbridge.config.LiveConfig;
import io.lmbridge.config.ProviderConfig;
import io.lmbridge.provider.HttpProviderVerticle;
import io.lmbridge.provider.StreamRelay;
import io.lmbridge.provider.UpstreamRequest;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;

/** The adapter for Anthropic's Messages API ({@code POST /v1/messages}). */
public final class AnthropicVerticle extends HttpProviderVerticle {

  /** The API version this adapter's wire format follows; Anthropic requires it on every call. */
  static final String API_VERSION = "2023-06-01";

  public AnthropicVerticle(String providerName, LiveConfig config) {
    super(providerName, config);
  }

  @Override
  protected Future<UpstreamRequest> prepare(ProviderConfig provider, ChatRequest request) {
    MultiMap headers = jsonHeaders(provider, request)
        .add("x-api-key", provider.apiKey())
        .add("anthropic-version", API_VERSION);
    return Future.succeededFuture(new UpstreamRequest(provider.baseUrl() + "/messages", headers,
        AnthropicRequests.write(request).toBuffer()));
  }

  @Override
  protected ChatResponse parseResponse(ProviderConfig provider, ChatRequest request, JsonObject body) {
    return AnthropicResponses.parse(body, AnthropicRequests.formatToolName(request));
  }

  @Override
  protected StreamRelay.Decoder streamDecoder(ProviderConfig provider, ChatRequest request) {
    return new AnthropicStreamDecoder(provider.name(), AnthropicRequests.formatToolName(request));
  }
}
