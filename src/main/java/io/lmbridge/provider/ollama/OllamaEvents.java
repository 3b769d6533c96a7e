package io.lmbridge.provider.ollama;

import io.lmbridge.chat.ChatEvent;
import io.lmbridge.chat.FinishReason;
import io.lmbridge.chat.Usage;
import io.lmbridge.provider.ChunkTranslator;
import io.lmbridge.provider.ObjectToolCalls;
import io.lmbridge.provider.UpstreamError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Ollama {@code /api/chat} response objects in canonical events: the whole response, or each line
 * of the NDJSON stream in turn (one instance per call: tool call positions count across lines).
 * Tool calls come whole, with arguments as an object and no id; the line with {@code done: true}
 * carries the finish reason and token counts.
 */
final class OllamaEvents implements ChunkTranslator {

  private final String provider;
  private int toolCalls;

  OllamaEvents(String provider) {
    this.provider = provider;
  }

  @Override
  public List<ChatEvent> translate(JsonObject line) {
    List<ChatEvent> events = new ArrayList<>();
    if (line.getValue("error") != null) {
      events.add(new ChatEvent.Failure(UpstreamError.of(provider, 502, line.toBuffer(), null)));
      return events;
    }
    JsonObject message = line.getJsonObject("message", new JsonObject());
    String thinking = message.getString("thinking");
    if (thinking != null && !thinking.isEmpty()) {
      events.add(new ChatEvent.ReasoningDelta(0, thinking, null));
    }
    String content = message.getString("content");
    if (content != null && !content.isEmpty()) {
      events.add(new ChatEvent.TextDelta(0, content));
    }
    for (Object item : message.getJsonArray("tool_calls", new JsonArray())) {
      JsonObject function = ((JsonObject) item).getJsonObject("function", new JsonObject());
      events.add(new ChatEvent.ToolCallDelta(0, toolCalls++, ObjectToolCalls.newId(), function.getString("name"),
          ObjectToolCalls.argumentsText(function.getJsonObject("arguments"))));
    }
    if (Boolean.TRUE.equals(line.getBoolean("done"))) {
      events.add(new ChatEvent.Finish(0, finishReason(line.getString("done_reason"))));
      events.add(new ChatEvent.UsageReport(new Usage(line.getInteger("prompt_eval_count", 0),
          line.getInteger("eval_count", 0), 0, 0)));
    }
    return events;
  }

  /** {@code length} when cut by {@code num_predict}; {@code stop}, {@code load} and the rest end normally. */
  private FinishReason finishReason(String doneReason) {
    if ("length".equals(doneReason)) {
      return FinishReason.LENGTH;
    }
    return toolCalls > 0 ? FinishReason.TOOL_CALLS : FinishReason.STOP;
  }
}
