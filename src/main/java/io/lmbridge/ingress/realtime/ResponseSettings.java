package io.lmbridge.ingress.realtime;

import io.lmbridge.chat.JsonFields;
import io.lmbridge.chat.Tool;
import io.lmbridge.chat.ToolChoice;
import io.lmbridge.chat.openai.OpenAiRequestFields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Locale;

/**
 * What shapes a response: the session's settings, which {@code session.update} changes, and which a
 * {@code response.create} may override for one response. Both events write these fields the same
 * way, in either naming.
 *
 * @param model           as the client wrote it, resolved when a response is made
 * @param maxOutputTokens null for the provider's default ({@code "inf"})
 */
record ResponseSettings(String model, String instructions, List<Tool> tools, ToolChoice toolChoice,
                        Double temperature, Integer maxOutputTokens) {

  static ResponseSettings initial(String model) {
    return new ResponseSettings(model, null, List.of(), null, null, null);
  }

  /** These settings with the fields {@code given} has replaced; nothing changes if one is invalid. */
  ResponseSettings overriddenBy(JsonFields given) {
    checkTextOnly(given);
    boolean hasTools = given.has("tools");
    return new ResponseSettings(
        given.has("model") ? given.requiredString("model") : model,
        given.has("instructions") ? given.string("instructions") : instructions,
        hasTools ? OpenAiRequestFields.tools(given, OpenAiRequestFields.FLAT) : tools,
        given.has("tool_choice") ? OpenAiRequestFields.toolChoice(given, OpenAiRequestFields.FLAT) : toolChoice,
        given.has("temperature") ? given.number("temperature", 0, 2) : temperature,
        maxTokens(given, given.has("max_output_tokens") ? "max_output_tokens" : "max_response_output_tokens",
            maxOutputTokens));
  }

  private static void checkTextOnly(JsonFields given) {
    if ("transcription".equals(given.string("type"))) {
      throw ServerEvents.audioUnsupported("transcription sessions", given.param("type")).exception();
    }
    for (String field : List.of("output_modalities", "modalities")) {
      JsonArray modalities = given.array(field);
      if (modalities != null && modalities.contains("audio")) {
        throw ServerEvents.audioUnsupported("modality 'audio'", given.param(field)).exception();
      }
    }
  }

  private static Integer maxTokens(JsonFields given, String field, Integer current) {
    if (!given.has(field)) {
      return current;
    }
    return "inf".equals(given.json().getValue(field)) ? null : given.smallInteger(field, 1);
  }

  /** The session object of {@code session.created} and {@code session.updated}. */
  JsonObject sessionJson(String id, RealtimeDialect dialect) {
    JsonObject session = new JsonObject();
    if (dialect == RealtimeDialect.GA) {
      session.put("type", "realtime");
    }
    session.put("id", id).put("object", "realtime.session").put("model", model)
        .put(dialect.modalitiesField, new JsonArray().add("text"))
        .put("instructions", instructions == null ? "" : instructions)
        .put("tools", toolsJson())
        .put("tool_choice", toolChoiceJson())
        .put(dialect == RealtimeDialect.GA ? "max_output_tokens" : "max_response_output_tokens", maxTokensJson());
    if (temperature != null) {
      session.put("temperature", temperature);
    }
    return session;
  }

  Object maxTokensJson() {
    return maxOutputTokens == null ? "inf" : maxOutputTokens;
  }

  private JsonArray toolsJson() {
    JsonArray json = new JsonArray();
    for (Tool tool : tools) {
      json.add(new JsonObject().put("type", "function").put("name", tool.name())
          .put("description", tool.description()).put("parameters", tool.parameters()));
    }
    return json;
  }

  private Object toolChoiceJson() {
    if (toolChoice == null) {
      return "auto";
    }
    if (toolChoice.mode() == ToolChoice.Mode.FUNCTION) {
      return new JsonObject().put("type", "function").put("name", toolChoice.function());
    }
    return toolChoice.mode().name().toLowerCase(Locale.ROOT);
  }
}
