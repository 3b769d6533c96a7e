package io.lmbridge.provider.gemini;

import io.lmbridge.chat.ChatRequest;
import io.lmbridge.chat.ContentPart;
import io.lmbridge.chat.DataUrl;
import io.lmbridge.chat.Message;
import io.lmbridge.chat.Reasoning;
import io.lmbridge.chat.ResponseFormat;
import io.lmbridge.chat.Sampling;
import io.lmbridge.chat.Tool;
import io.lmbridge.chat.ToolCall;
import io.lmbridge.chat.ToolChoice;
import io.lmbridge.provider.InlineImages;
import io.lmbridge.provider.ObjectToolCalls;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.lmbridge.chat.SparseJson.putIfSet;

/**
 * Canonical requests as Gemini {@code GenerateContentRequest} bodies. OpenAI parameters Gemini has
 * no counterpart for ({@code parallel_tool_calls}, {@code metadata}, {@code user}) are dropped.
 */
final class GeminiRequests {

  private static final int LOW_THINKING_BUDGET = 1024;
  private static final int MEDIUM_THINKING_BUDGET = 8192;
  private static final int HIGH_THINKING_BUDGET = 24576;

  private GeminiRequests() {
  }

  static JsonObject write(ChatRequest request, InlineImages images) {
    JsonObject body = new JsonObject();
    JsonArray system = new JsonArray();
    JsonArray contents = new JsonArray();
    Map<String, String> callNames = ObjectToolCalls.namesById(request.messages());
    List<Message> messages = request.messages();
    for (int i = 0; i < messages.size(); i++) {
      Message message = messages.get(i);
      switch (message.role()) {
        case SYSTEM, DEVELOPER -> system.add(new JsonObject().put("text", message.text()));
        case USER -> append(contents, "user", userParts(message, images));
        case ASSISTANT -> append(contents, "model", modelParts(message, i));
        case TOOL -> append(contents, "user", new JsonArray().add(new JsonObject().put("functionResponse",
            new JsonObject()
                .put("name", ObjectToolCalls.answeredFunction(message, i, callNames))
                .put("response", toolResult(message.text())))));
      }
    }
    body.put("contents", contents);
    if (!system.isEmpty()) {
      body.put("systemInstruction", new JsonObject().put("parts", system));
    }
    if (!request.tools().isEmpty()) {
      JsonArray declarations = new JsonArray();
      for (Tool tool : request.tools()) {
        JsonObject declaration = new JsonObject().put("name", tool.name());
        putIfSet(declaration, "description", tool.description());
        if (tool.parameters() != null) {
          declaration.put("parametersJsonSchema", jsonSchema(tool.parameters()));
        }
        declarations.add(declaration);
      }
      body.put("tools", new JsonArray().add(new JsonObject().put("functionDeclarations", declarations)));
    }
    if (request.toolChoice() != null && !request.tools().isEmpty()) {
      body.put("toolConfig", new JsonObject().put("functionCallingConfig", callingConfig(request.toolChoice())));
    }
    JsonObject generation = generationConfig(request);
    if (!generation.isEmpty()) {
      body.put("generationConfig", generation);
    }
    return body;
  }

  /** Consecutive turns of one role become one content: Gemini wants parallel function responses together. */
  private static void append(JsonArray contents, String role, JsonArray parts) {
    if (parts.isEmpty()) {
      return;
    }
    JsonObject last = contents.isEmpty() ? null : contents.getJsonObject(contents.size() - 1);
    if (last != null && role.equals(last.getString("role"))) {
      last.getJsonArray("parts").addAll(parts);
    } else {
      contents.add(new JsonObject().put("role", role).put("parts", parts));
    }
  }

  private static JsonArray userParts(Message message, InlineImages images) {
    JsonArray parts = new JsonArray();
    for (ContentPart part : message.content()) {
      if (part instanceof ContentPart.Text text) {
        parts.add(new JsonObject().put("text", text.text()));
      } else if (part instanceof ContentPart.Image image) {
        DataUrl inline = images.of(image);
        parts.add(new JsonObject().put("inlineData",
            new JsonObject().put("mimeType", inline.mediaType()).put("data", inline.data())));
      }
    }
    return parts;
  }

  /**
   * The model's earlier turn. Gemini requires each function call's thought signature back to continue
   * a function-calling turn: from the call id (Chat Completions clients), else the turn's reasoning
   * signature on the first call, where Gemini put it (Responses clients send it as reasoning).
   */
  private static JsonArray modelParts(Message message, int index) {
    JsonArray parts = new JsonArray();
    String text = message.text();
    if (!text.isEmpty()) {
      parts.add(new JsonObject().put("text", text));
    }
    for (int c = 0; c < message.toolCalls().size(); c++) {
      ToolCall call = message.toolCalls().get(c);
      JsonObject part = new JsonObject().put("functionCall", new JsonObject()
          .put("name", call.name())
          .put("args", ObjectToolCalls.argumentsObject(call.arguments(),
              "messages[" + index + "].tool_calls[" + c + "].function.arguments")));
      String signature = SignedCallIds.signature(call.id());
      if (signature == null && c == 0) {
        signature = message.reasoningSignature();
      }
      putIfSet(part, "thoughtSignature", signature);
      parts.add(part);
    }
    return parts;
  }

  /** {@code functionResponse.response} must be an object: JSON object results go as they are. */
  private static JsonObject toolResult(String text) {
    String trimmed = text.strip();
    if (trimmed.startsWith("{")) {
      try {
        return new JsonObject(trimmed);
      } catch (RuntimeException notAnObject) {
        // Plain text that happens to start with a brace.
      }
    }
    return new JsonObject().put("output", text);
  }

  private static JsonObject callingConfig(ToolChoice choice) {
    JsonObject config = new JsonObject();
    switch (choice.mode()) {
      case AUTO -> config.put("mode", "AUTO");
      case NONE -> config.put("mode", "NONE");
      case REQUIRED -> config.put("mode", "ANY");
      case FUNCTION -> config.put("mode", "ANY").put("allowedFunctionNames", new JsonArray().add(choice.function()));
    }
    return config;
  }

  private static JsonObject generationConfig(ChatRequest request) {
    Sampling sampling = request.sampling();
    JsonObject config = new JsonObject();
    putIfSet(config, "temperature", sampling.temperature());
    putIfSet(config, "topP", sampling.topP());
    putIfSet(config, "topK", sampling.topK());
    putIfSet(config, "maxOutputTokens", sampling.maxTokens());
    if (sampling.stop() != null && !sampling.stop().isEmpty()) {
      config.put("stopSequences", new JsonArray(sampling.stop()));
    }
    if (sampling.seed() != null) {
      // Gemini's seed is an int32; a larger OpenAI seed keeps its low bits rather than failing the call.
      config.put("seed", sampling.seed().intValue());
    }
    putIfSet(config, "presencePenalty", sampling.presencePenalty());
    putIfSet(config, "frequencyPenalty", sampling.frequencyPenalty());
    putIfSet(config, "candidateCount", sampling.n());
    ResponseFormat format = request.responseFormat();
    if (format != null && format.type() != ResponseFormat.Type.TEXT) {
      config.put("responseMimeType", "application/json");
      if (format.type() == ResponseFormat.Type.JSON_SCHEMA && format.schema() != null) {
        config.put("responseJsonSchema", jsonSchema(format.schema()));
      }
    }
    JsonObject thinking = thinkingConfig(request.reasoning());
    if (thinking != null) {
      config.put("thinkingConfig", thinking);
    }
    return config;
  }

  /**
   * OpenAI's effort as a thinking budget, or an explicit budget as is; thoughts are asked back so
   * that clients get them as reasoning content. {@code none} turns thinking off where a model allows.
   */
  private static JsonObject thinkingConfig(Reasoning reasoning) {
    if (reasoning == null) {
      return null;
    }
    Integer budget = reasoning.budgetTokens();
    if (budget == null && reasoning.effort() != null) {
      budget = switch (reasoning.effort().toLowerCase(Locale.ROOT)) {
        case "none" -> 0;
        case "minimal", "low" -> LOW_THINKING_BUDGET;
        case "high" -> HIGH_THINKING_BUDGET;
        default -> MEDIUM_THINKING_BUDGET;
      };
    }
    if (budget == null) {
      return null;
    }
    return new JsonObject().put("thinkingBudget", budget).put("includeThoughts", budget != 0);
  }

  /** JSON Schema as {@code parametersJsonSchema} / {@code responseJsonSchema} take it, minus the meta-schema tag. */
  private static JsonObject jsonSchema(JsonObject schema) {
    JsonObject copy = schema.copy();
    copy.remove("$schema");
    return copy;
  }
}
