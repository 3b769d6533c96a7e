package io.lmbridge.ingress.responses;

import io.lmbridge.chat.FinishReason;
import io.lmbridge.chat.Usage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The Responses API {@code response} object. Request settings the API echoes back (tools,
 * tool_choice, instructions, sampling) are copied from the client's body.
 */
final class ResponseObject {

  private final String id;
  private final String model;
  private final long createdAt;
  private final JsonObject request;

  ResponseObject(String id, String model, long createdAt, JsonObject request) {
    this.id = id;
    this.model = model;
    this.createdAt = createdAt;
    this.request = request;
  }

  JsonObject inProgress() {
    return base("in_progress").put("output", new JsonArray());
  }

  /** A finished response; {@code LENGTH} and {@code CONTENT_FILTER} make it {@code incomplete}, as OpenAI does. */
  JsonObject finished(List<OutputItem> items, FinishReason finish, Usage usage) {
    String reason = finish == FinishReason.LENGTH ? "max_output_tokens"
        : finish == FinishReason.CONTENT_FILTER ? "content_filter" : null;
    JsonObject response = base(reason == null ? "completed" : "incomplete");
    if (reason == null) {
      response.put("completed_at", System.currentTimeMillis() / 1000);
    } else {
      response.put("incomplete_details", new JsonObject().put("reason", reason));
    }
    JsonArray output = new JsonArray();
    StringBuilder outputText = new StringBuilder();
    for (OutputItem item : items) {
      output.add(item.toJson());
      if (item.kind == OutputItem.Kind.MESSAGE) {
        outputText.append(item.text);
      }
    }
    response.put("output", output).put("output_text", outputText.toString());
    if (usage != null) {
      response.put("usage", usage(usage));
    }
    return response;
  }

  JsonObject failed(String message) {
    return base("failed")
        .put("output", new JsonArray())
        .put("error", new JsonObject().put("code", "server_error").put("message", message));
  }

  private JsonObject base(String status) {
    return new JsonObject()
        .put("id", id)
        .put("object", "response")
        .put("created_at", createdAt)
        .put("status", status)
        .put("error", null)
        .put("incomplete_details", null)
        .put("instructions", request.getValue("instructions"))
        .put("model", model)
        .put("parallel_tool_calls", request.getBoolean("parallel_tool_calls", true))
        .put("tools", request.getValue("tools") instanceof JsonArray tools ? tools : new JsonArray())
        .put("tool_choice", request.getValue("tool_choice", "auto"))
        .put("temperature", request.getValue("temperature"))
        .put("top_p", request.getValue("top_p"))
        .put("max_output_tokens", request.getValue("max_output_tokens"))
        .put("metadata", request.getValue("metadata") instanceof JsonObject metadata ? metadata : new JsonObject())
        .put("text", request.getValue("text") instanceof JsonObject text ? text
            : new JsonObject().put("format", new JsonObject().put("type", "text")))
        .put("reasoning", request.getValue("reasoning"))
        .put("store", false);
  }

  private static JsonObject usage(Usage usage) {
    return new JsonObject()
        .put("input_tokens", usage.promptTokens())
        .put("input_tokens_details", new JsonObject()
            .put("cached_tokens", usage.cachedTokens())
            .put("cache_write_tokens", usage.cacheWriteTokens()))
        .put("output_tokens", usage.completionTokens())
        .put("output_tokens_details", new JsonObject().put("reasoning_tokens", usage.reasoningTokens()))
        .put("total_tokens", usage.totalTokens());
  }
}
