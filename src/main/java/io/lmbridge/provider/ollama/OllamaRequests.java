package io.lmbridge.provider.ollama;

import io.lmbridge.chat.ChatRequest;
import io.lmbridge.chat.ContentPart;
import io.lmbridge.chat.Message;
import io.lmbridge.chat.Reasoning;
import io.lmbridge.chat.ResponseFormat;
import io.lmbridge.chat.Role;
import io.lmbridge.chat.Sampling;
import io.lmbridge.chat.Tool;
import io.lmbridge.chat.ToolCall;
import io.lmbridge.provider.InlineImages;
import io.lmbridge.provider.ObjectToolCalls;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.lmbridge.chat.SparseJson.putIfSet;

/**
 * Canonical requests as Ollama {@code /api/chat} bodies. Ollama has no tool choice, no {@code n}
 * and no parallel-call switch: those are dropped. {@code keep_alive} and {@code think}, which no
 * OpenAI dialect has, pass through from the client's body as they are.
 */
final class OllamaRequests {

  private static final List<String> PASSTHROUGH = List.of("keep_alive", "think");

  private OllamaRequests() {
  }

  static JsonObject write(ChatRequest request, InlineImages images) {
    JsonObject body = new JsonObject().put("model", request.model());
    JsonArray messages = new JsonArray();
    Map<String, String> callNames = ObjectToolCalls.namesById(request.messages());
    for (int i = 0; i < request.messages().size(); i++) {
      messages.add(message(request.messages().get(i), i, images, callNames));
    }
    body.put("messages", messages);
    if (!request.tools().isEmpty()) {
      JsonArray tools = new JsonArray();
      for (Tool tool : request.tools()) {
        JsonObject function = new JsonObject().put("name", tool.name())
            .put("parameters", tool.parameters() != null ? tool.parameters() : new JsonObject().put("type", "object"));
        if (tool.description() != null) {
          function.put("description", tool.description());
        }
        tools.add(new JsonObject().put("type", "function").put("function", function));
      }
      body.put("tools", tools);
    }
    ResponseFormat format = request.responseFormat();
    if (format != null && format.type() == ResponseFormat.Type.JSON_OBJECT) {
      body.put("format", "json");
    } else if (format != null && format.type() == ResponseFormat.Type.JSON_SCHEMA) {
      body.put("format", format.schema() != null ? format.schema() : "json");
    }
    JsonObject options = options(request.sampling());
    if (!options.isEmpty()) {
      body.put("options", options);
    }
    Object think = think(request.reasoning());
    if (think != null) {
      body.put("think", think);
    }
    if (request.passthrough() != null) {
      PASSTHROUGH.stream().filter(request.passthrough()::containsKey)
          .forEach(field -> body.put(field, request.passthrough().getValue(field)));
    }
    // Ollama streams unless told otherwise.
    body.put("stream", request.stream());
    return body;
  }

  private static JsonObject message(Message message, int index, InlineImages images, Map<String, String> callNames) {
    String role = switch (message.role()) {
      case SYSTEM, DEVELOPER -> "system";
      case USER -> "user";
      case ASSISTANT -> "assistant";
      case TOOL -> "tool";
    };
    JsonObject json = new JsonObject().put("role", role).put("content", message.text());
    JsonArray inline = new JsonArray();
    for (ContentPart part : message.content()) {
      if (part instanceof ContentPart.Image image) {
        inline.add(images.of(image).data());
      }
    }
    if (!inline.isEmpty()) {
      json.put("images", inline);
    }
    if (!message.toolCalls().isEmpty()) {
      JsonArray calls = new JsonArray();
      for (int c = 0; c < message.toolCalls().size(); c++) {
        ToolCall call = message.toolCalls().get(c);
        calls.add(new JsonObject().put("function", new JsonObject()
            .put("name", call.name())
            .put("arguments", ObjectToolCalls.argumentsObject(call.arguments(),
                "messages[" + index + "].tool_calls[" + c + "].function.arguments"))));
      }
      json.put("tool_calls", calls);
    }
    if (message.role() == Role.TOOL) {
      json.put("tool_name", ObjectToolCalls.answeredFunction(message, index, callNames));
    }
    return json;
  }

  private static JsonObject options(Sampling sampling) {
    JsonObject options = new JsonObject();
    putIfSet(options, "temperature", sampling.temperature());
    putIfSet(options, "top_p", sampling.topP());
    putIfSet(options, "top_k", sampling.topK());
    putIfSet(options, "num_predict", sampling.maxTokens());
    if (sampling.stop() != null && !sampling.stop().isEmpty()) {
      options.put("stop", new JsonArray(sampling.stop()));
    }
    putIfSet(options, "seed", sampling.seed());
    putIfSet(options, "presence_penalty", sampling.presencePenalty());
    putIfSet(options, "frequency_penalty", sampling.frequencyPenalty());
    return options;
  }

  /**
   * Reasoning as Ollama's {@code think}: the effort levels it knows go as they are (gpt-oss uses
   * them), {@code none} and {@code minimal} turn thinking off, a bare budget turns it on.
   */
  private static Object think(Reasoning reasoning) {
    if (reasoning == null) {
      return null;
    }
    if (reasoning.effort() == null) {
      return reasoning.budgetTokens() != null && reasoning.budgetTokens() > 0;
    }
    String effort = reasoning.effort().toLowerCase(Locale.ROOT);
    return switch (effort) {
      case "low", "medium", "high" -> effort;
      case "none", "minimal" -> false;
      default -> true;
    };
  }
}
