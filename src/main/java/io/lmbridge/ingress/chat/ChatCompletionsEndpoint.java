package io.lmbridge.ingress.chat;

import io.lmbridge.chat.ChatEvent;
import io.lmbridge.chat.ChatRequest;
import io.lmbridge.chat.ChatResponse;
import io.lmbridge.chat.JsonFields;
import io.lmbridge.chat.openai.ChatCompletionsChunks;
import io.lmbridge.chat.openai.ChatCompletionsRequests;
import io.lmbridge.chat.openai.ChatCompletionsResponses;
import io.lmbridge.ingress.ChatExchange;
import io.lmbridge.chat.Ids;
import io.lmbridge.ingress.JsonBodies;
import io.lmbridge.ingress.ResponseRenderer;
import io.lmbridge.ingress.SseFrame;
import io.lmbridge.ingress.StreamRenderer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;

/** {@code POST /v1/chat/completions}, exactly as OpenAI serves it. */
public final class ChatCompletionsEndpoint {

  private static final SseFrame DONE = new SseFrame(null, "[DONE]");

  private final ChatExchange exchange;

  public ChatCompletionsEndpoint(ChatExchange exchange) {
    this.exchange = exchange;
  }

  public void handle(RoutingContext ctx) {
    JsonObject body = JsonBodies.object(ctx);
    ChatRequest request = ChatCompletionsRequests.parse(body);
    JsonFields streamOptions = JsonFields.of(body).child("stream_options");
    boolean includeUsage = streamOptions != null && Boolean.TRUE.equals(streamOptions.bool("include_usage"));
    String id = "chatcmpl-" + Ids.next();
    long created = System.currentTimeMillis() / 1000;
    exchange.run(ctx, "chat_completions", body, request, route -> new ResponseRenderer() {
      @Override
      public JsonObject response(ChatResponse response) {
        return ChatCompletionsResponses.write(response, id, route.key(), created);
      }

      @Override
      public StreamRenderer stream() {
        return new ChunkStream(new ChatCompletionsChunks.Renderer(id, route.key(), created, includeUsage));
      }
    });
  }

  /** Chunks as {@code data:} lines, the usage chunk, then {@code [DONE]}; an error as OpenAI writes one mid-stream. */
  private static final class ChunkStream implements StreamRenderer {

    private final ChatCompletionsChunks.Renderer chunks;

    ChunkStream(ChatCompletionsChunks.Renderer chunks) {
      this.chunks = chunks;
    }

    @Override
    public List<SseFrame> start() {
      return List.of();
    }

    @Override
    public List<SseFrame> render(List<ChatEvent> events) {
      List<SseFrame> frames = new ArrayList<>();
      chunks.render(events).forEach(chunk -> frames.add(new SseFrame(null, chunk)));
      for (ChatEvent event : events) {
        if (event instanceof ChatEvent.Failure failure) {
          frames.add(SseFrame.data(failure.error().toOpenAiJson()));
        }
      }
      return frames;
    }

    @Override
    public List<SseFrame> end() {
      List<SseFrame> frames = new ArrayList<>();
      chunks.finish().forEach(chunk -> frames.add(new SseFrame(null, chunk)));
      frames.add(DONE);
      return frames;
    }
  }
}
