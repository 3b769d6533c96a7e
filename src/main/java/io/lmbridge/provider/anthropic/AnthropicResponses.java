package io.lmbridge.provider.anthropic;

import io.lmbridge.chat.ChatResponse;
import io.lmbridge.chat.ContentPart;
import io.lmbridge.chat.FinishReason;
import io.lmbridge.chat.Message;
import io.lmbridge.chat.Role;
import io.lmbridge.chat.ToolCall;
import io.lmbridge.chat.Usage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** Anthropic {@code Message} bodies in canonical terms, and the stop reasons and usage its streams share. */
final class AnthropicResponses {

  private AnthropicResponses() {
  }

  /** @param formatTool the tool carrying a requested JSON output, whose input is the answer text; or null */
  static ChatResponse parse(JsonObject body, String formatTool) {
    StringBuilder text = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    String signature = null;
    List<ToolCall> calls = new ArrayList<>();
    for (Object item : body.getJsonArray("content", new JsonArray())) {
      JsonObject block = (JsonObject) item;
      switch (block.getString("type", "")) {
        case "text" -> text.append(block.getString("text", ""));
        case "thinking" -> {
          reasoning.append(block.getString("thinking", ""));
          signature = block.getString("signature");
        }
        case "tool_use" -> {
          String input = block.getJsonObject("input", new JsonObject()).encode();
          if (block.getString("name").equals(formatTool)) {
            text.append(input);
          } else {
            calls.add(new ToolCall(block.getString("id"), block.getString("name"), input));
          }
        }
        default -> {
          // redacted_thinking and server tool blocks have no canonical form.
        }
      }
    }
    List<ContentPart> content = text.isEmpty() ? List.of() : List.of(new ContentPart.Text(text.toString()));
    Message message = new Message(Role.ASSISTANT, content, null, calls, null,
        reasoning.isEmpty() ? null : reasoning.toString(), signature);
    FinishReason finish = finishReason(body.getString("stop_reason"), !calls.isEmpty());
    JsonObject usage = body.getJsonObject("usage");
    return new ChatResponse(List.of(new ChatResponse.Choice(0, message, finish == null ? FinishReason.STOP : finish)),
        usage == null ? null : new TokenCounts().add(usage).toUsage());
  }

  /**
   * @param calledTools whether the model called a client tool; a call of the JSON output tool alone
   *                    is a finished answer
   */
  static FinishReason finishReason(String stopReason, boolean calledTools) {
    if (stopReason == null) {
      return null;
    }
    return switch (stopReason) {
      case "max_tokens" -> FinishReason.LENGTH;
      case "tool_use" -> calledTools ? FinishReason.TOOL_CALLS : FinishReason.STOP;
      case "refusal" -> FinishReason.CONTENT_FILTER;
      default -> FinishReason.STOP;
    };
  }

  /**
   * Anthropic's usage, which a stream reports in parts: input counts in {@code message_start},
   * output in {@code message_delta}. Its {@code input_tokens} leaves out cached tokens, which
   * OpenAI's {@code prompt_tokens} includes.
   */
  static final class TokenCounts {
    private int input;
    private int output;
    private int cacheRead;
    private int cacheWrite;

    /** Takes the counts a usage object has; absent or null ones keep their earlier value. */
    TokenCounts add(JsonObject usage) {
      input = count(usage, "input_tokens", input);
      output = count(usage, "output_tokens", output);
      cacheRead = count(usage, "cache_read_input_tokens", cacheRead);
      cacheWrite = count(usage, "cache_creation_input_tokens", cacheWrite);
      return this;
    }

    Usage toUsage() {
      return new Usage(input + cacheRead + cacheWrite, output, cacheRead, 0, cacheWrite);
    }

    private static int count(JsonObject usage, String field, int previous) {
      Integer value = usage.getInteger(field);
      return value == null ? previous : value;
    }
  }
}
