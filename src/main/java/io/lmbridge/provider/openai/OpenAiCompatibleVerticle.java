package io.lmbridge.provider.openai;

import io.lmbridge.chat.ChatEvent;
import io.lmbridge.chat.ChatRequest;
import io.lmbridge.chat.ChatResponse;
import io.lmbridge.chat.openai.ChatCompletionsChunks;
import io.lmbridge.chat.openai.ChatCompletionsRequests;
import io.lmbridge.chat.openai.ChatCompletionsResponses;
import io.lmbridge.config.LiveConfig;
import io.lmbridge.config.ProviderConfig;
import io.lmbridge.provider.HttpProviderVerticle;
import io.lmbridge.provider.StreamRelay;
import io.lmbridge.provider.UpstreamRequest;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The adapter for every upstream that speaks OpenAI Chat Completions: OpenAI, xAI and the
 * OpenAI-compatible servers declared in config.
 */
public final class OpenAiCompatibleVerticle extends HttpProviderVerticle {

  private static final String DONE = "[DONE]";

  public OpenAiCompatibleVerticle(String providerName, LiveConfig config) {
    super(providerName, config);
  }

  @Override
  protected Future<UpstreamRequest> prepare(ProviderConfig provider, ChatRequest request) {
    MultiMap headers = jsonHeaders(provider, request).add(HttpHeaders.AUTHORIZATION, "Bearer " + provider.apiKey());
    return Future.succeededFuture(new UpstreamRequest(provider.baseUrl() + "/chat/completions", headers,
        ChatCompletionsRequests.write(request, provider.maxTokensField()).toBuffer()));
  }

  @Override
  protected ChatResponse parseResponse(ProviderConfig provider, ChatRequest request, JsonObject body) {
    return ChatCompletionsResponses.parse(body);
  }

  @Override
  protected StreamRelay.Decoder streamDecoder(ProviderConfig provider, ChatRequest request) {
    return new ChunkDecoder(provider.name());
  }

  /** OpenAI's stream: {@code chat.completion.chunk} events, closed by {@code [DONE]}. */
  private record ChunkDecoder(String provider) implements StreamRelay.Decoder {

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
