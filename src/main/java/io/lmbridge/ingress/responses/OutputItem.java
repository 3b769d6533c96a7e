package io.lmbridge.ingress.responses;

import io.lmbridge.chat.ChatResponse;
import io.lmbridge.chat.Message;
import io.lmbridge.chat.TokenLogprob;
import io.lmbridge.chat.ToolCall;
import io.lmbridge.chat.Ids;
import io.lmbridge.chat.openai.TokenLogprobsJson;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * One item of a Response's {@code output}: reasoning, an assistant message, or a function call.
 * Streams build them as deltas arrive; the final response is made of the same items, so the ids a
 * client saw in the stream are the ids in {@code response.completed}.
 */
final class OutputItem {

  enum Kind { REASONING, MESSAGE, FUNCTION_CALL }

  final Kind kind;
  final String id;
  final StringBuilder text = new StringBuilder();
  /** A message's tokens with their log probabilities, when the request asked for them. */
  final List<TokenLogprob> logprobs = new ArrayList<>();
  String callId;
  String name;
  String signature;
  boolean done;

  private OutputItem(Kind kind, String id) {
    this.kind = kind;
    this.id = id;
  }

  static OutputItem reasoning() {
    return new OutputItem(Kind.REASONING, "rs_" + Ids.next());
  }

  static OutputItem message() {
    return new OutputItem(Kind.MESSAGE, "msg_" + Ids.next());
  }

  static OutputItem functionCall(String callId, String name) {
    OutputItem item = new OutputItem(Kind.FUNCTION_CALL, "fc_" + Ids.next());
    item.callId = callId;
    item.name = name;
    return item;
  }

  /** The items of a finished response's first choice (the Responses API has no {@code n}). */
  static List<OutputItem> of(ChatResponse response) {
    List<OutputItem> items = new ArrayList<>();
    if (response.choices().isEmpty()) {
      return items;
    }
    ChatResponse.Choice choice = response.choices().get(0);
    Message message = choice.message();
    // A signature alone (Gemini's, over thoughts it did not show) still needs an item to travel back in.
    if (message.reasoning() != null || message.reasoningSignature() != null) {
      OutputItem reasoning = reasoning();
      if (message.reasoning() != null) {
        reasoning.text.append(message.reasoning());
      }
      reasoning.signature = message.reasoningSignature();
      items.add(reasoning);
    }
    if (!message.content().isEmpty() || message.toolCalls().isEmpty()) {
      OutputItem text = message();
      text.text.append(message.text());
      if (choice.logprobs() != null) {
        text.logprobs.addAll(choice.logprobs());
      }
      items.add(text);
    }
    for (ToolCall call : message.toolCalls()) {
      OutputItem item = functionCall(call.id(), call.name());
      item.text.append(call.arguments());
      items.add(item);
    }
    items.forEach(item -> item.done = true);
    return items;
  }

  String status() {
    return done ? "completed" : "in_progress";
  }

  JsonObject toJson() {
    return switch (kind) {
      case REASONING -> new JsonObject()
          .put("type", "reasoning")
          .put("id", id)
          .put("summary", new JsonArray())
          .put("content", text.isEmpty() ? new JsonArray() : new JsonArray().add(reasoningPart()))
          .put("encrypted_content", signature)
          .put("status", status());
      case MESSAGE -> new JsonObject()
          .put("type", "message")
          .put("id", id)
          .put("role", "assistant")
          .put("status", status())
          .put("content", done ? new JsonArray().add(textPart()) : new JsonArray());
      case FUNCTION_CALL -> new JsonObject()
          .put("type", "function_call")
          .put("id", id)
          .put("call_id", callId)
          .put("name", name)
          .put("arguments", done ? text.toString() : "")
          .put("status", status());
    };
  }

  JsonObject textPart() {
    return new JsonObject()
        .put("type", "output_text")
        .put("text", done ? text.toString() : "")
        .put("annotations", new JsonArray())
        .put("logprobs", done ? TokenLogprobsJson.write(logprobs) : new JsonArray());
  }

  JsonObject reasoningPart() {
    return new JsonObject().put("type", "reasoning_text").put("text", done ? text.toString() : "");
  }
}
