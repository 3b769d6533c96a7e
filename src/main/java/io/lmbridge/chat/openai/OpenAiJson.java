package io.lmbridge.chat.openai;

import io.lmbridge.chat.FinishReason;
import io.lmbridge.chat.TokenLogprob;
import io.lmbridge.chat.ToolCall;
import io.lmbridge.chat.Usage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** The small shapes that OpenAI's Chat Completions requests, responses and chunks share. */
final class OpenAiJson {

  /**
   * The gateway's own field, beside {@code reasoning_content} in messages and deltas, for the
   * provider's signature over the reasoning (Anthropic's thinking): a client that sends it back with
   * the assistant turn lets the provider verify the reasoning on the next call.
   */
  static final String REASONING_SIGNATURE = "reasoning_signature";

  private OpenAiJson() {
  }

  static JsonArray toolCalls(List<ToolCall> calls) {
    JsonArray array = new JsonArray();
    for (ToolCall call : calls) {
      array.add(new JsonObject()
          .put("id", call.id())
          .put("type", "function")
          .put("function", new JsonObject().put("name", call.name()).put("arguments", call.arguments())));
    }
    return array;
  }

  /** Lenient: upstream tool calls with missing parts keep what they have. */
  static List<ToolCall> toolCalls(JsonArray array) {
    List<ToolCall> calls = new ArrayList<>();
    if (array == null) {
      return calls;
    }
    for (Object item : array) {
      if (item instanceof JsonObject call) {
        JsonObject function = call.getJsonObject("function", new JsonObject());
        calls.add(new ToolCall(call.getString("id"), function.getString("name"),
            function.getString("arguments", "")));
      }
    }
    return calls;
  }

  static JsonObject usage(Usage usage) {
    return new JsonObject()
        .put("prompt_tokens", usage.promptTokens())
        .put("completion_tokens", usage.completionTokens())
        .put("total_tokens", usage.totalTokens())
        .put("prompt_tokens_details", new JsonObject().put("cached_tokens", usage.cachedTokens()))
        .put("completion_tokens_details", new JsonObject().put("reasoning_tokens", usage.reasoningTokens()));
  }

  static Usage usage(JsonObject json) {
    JsonObject prompt = json.getJsonObject("prompt_tokens_details", new JsonObject());
    JsonObject completion = json.getJsonObject("completion_tokens_details", new JsonObject());
    return new Usage(
        json.getInteger("prompt_tokens", 0),
        json.getInteger("completion_tokens", 0),
        prompt.getInteger("cached_tokens", 0),
        completion.getInteger("reasoning_tokens", 0));
  }

  static FinishReason finishReason(String wire) {
    if (wire == null) {
      return null;
    }
    return switch (wire) {
      case "length" -> FinishReason.LENGTH;
      case "tool_calls", "function_call" -> FinishReason.TOOL_CALLS;
      case "content_filter" -> FinishReason.CONTENT_FILTER;
      default -> FinishReason.STOP;
    };
  }

  /** Reasoning text as OpenAI-compatible servers send it: DeepSeek and xAI say {@code reasoning_content}, others {@code reasoning}. */
  static String reasoning(JsonObject messageOrDelta) {
    Object value = messageOrDelta.getValue("reasoning_content");
    if (value == null) {
      value = messageOrDelta.getValue("reasoning");
    }
    return value instanceof String text ? text : null;
  }

  /** A choice's {@code logprobs}: {@code {"content": [...], "refusal": null}}, or null when it has none. */
  static JsonObject logprobs(List<TokenLogprob> tokens) {
    return tokens == null ? null
        : new JsonObject().put("content", TokenLogprobsJson.write(tokens)).put("refusal", null);
  }

  /** The tokens of a choice's {@code logprobs.content}; null when there are none. */
  static List<TokenLogprob> logprobs(JsonObject choice) {
    return choice.getValue("logprobs") instanceof JsonObject logprobs
        && logprobs.getValue("content") instanceof JsonArray content ? TokenLogprobsJson.read(content) : null;
  }
}
