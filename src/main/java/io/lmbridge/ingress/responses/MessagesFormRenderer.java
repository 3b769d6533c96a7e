package io.lmbridge.ingress.responses;

import io.lmbridge.chat.ChatEvent;
import io.lmbridge.chat.ChatResponse;
import io.lmbridge.chat.ChatResponseAccumulator;
import io.lmbridge.chat.openai.ChatCompletionsResponses;
import io.lmbridge.ingress.ResponseRenderer;
import io.lmbridge.ingress.SseFrame;
import io.lmbridge.ingress.StreamRenderer;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The original design's {@code /v1/responses} form: a chat completion whose {@code object} is
 * {@code response}, streamed as {@code response.start}, {@code content.delta} and {@code response.done}
 * (which carries the whole response).
 */
final class MessagesFormRenderer implements ResponseRenderer {

  private final String id;
  private final String model;
  private final long created;

  MessagesFormRenderer(String id, String model, long created) {
    this.id = id;
    this.model = model;
    this.created = created;
  }

  @Override
  public JsonObject response(ChatResponse response) {
    return ChatCompletionsResponses.write(response, id, model, created).put("object", "response");
  }

  @Override
  public StreamRenderer stream() {
    return new StreamRenderer() {
      private final ChatResponseAccumulator accumulator = new ChatResponseAccumulator();

      @Override
      public List<SseFrame> start() {
        return List.of(frame("response.start", new JsonObject()
            .put("id", id).put("object", "response").put("created", created).put("model", model)));
      }

      @Override
      public List<SseFrame> render(List<ChatEvent> events) {
        List<SseFrame> frames = new ArrayList<>();
        for (ChatEvent event : events) {
          accumulator.accept(event);
          if (event instanceof ChatEvent.TextDelta text && text.choice() == 0) {
            frames.add(frame("content.delta", new JsonObject().put("delta", new JsonObject().put("text", text.text()))));
          } else if (event instanceof ChatEvent.Failure failure) {
            frames.add(frame("error", failure.error().toOpenAiJson()));
          }
        }
        return frames;
      }

      @Override
      public List<SseFrame> end() {
        return List.of(frame("response.done", new JsonObject().put("response", response(accumulator.response()))));
      }
    };
  }

  private static SseFrame frame(String type, JsonObject body) {
    return SseFrame.named(type, new JsonObject().put("type", type).mergeIn(body));
  }
}
