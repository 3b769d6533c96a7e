package io.lmbridge.local.runner;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import io.lmbridge.chat.ApiError;
import io.lmbridge.chat.ChatRequest;
import io.lmbridge.chat.ContentPart;
import io.lmbridge.chat.Message;
import io.lmbridge.chat.Tool;
import io.lmbridge.chat.ToolCall;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders a chat request into the prompt text the model continues, through the model's own chat
 * template (its GGUF's Jinja template, else the configured one, else one llama.cpp detects).
 *
 * <p>Two ways, chosen by the caller. As text: the conversation goes in as role and text turns, and
 * earlier tool calls and results are written as the tagged text that {@link ToolCalls#plan} teaches.
 * With the template's tools: the tools, earlier calls and tool results go in as the template's own
 * variables, so the model sees them in the format it was trained on.
 *
 * <p>Consecutive turns of one role are joined first: templates such as Gemma's and Mistral's raise
 * an error when roles do not alternate, and a template error inside llama.cpp aborts the runner.
 */
final class PromptBuilder {

  private PromptBuilder() {
  }

  /** @param plan system text describing the expected JSON or the tools, or null */
  static String asText(LlamaModel model, ChatRequest request, String plan) {
    return build(model, request, plan, null);
  }

  /**
   * @param tools the tools the model may call, given to the template; empty when it may call none
   * @param plan  system text describing the expected JSON, or null
   */
  static String withTemplateTools(LlamaModel model, ChatRequest request, List<Tool> tools, String plan) {
    return build(model, request, plan, tools);
  }

  /** @param templateTools null to write calls and results as text, else the tools for the template */
  private static String build(LlamaModel model, ChatRequest request, String plan, List<Tool> templateTools) {
    boolean asText = templateTools == null;
    JsonArray turns = new JsonArray();
    List<String> system = new ArrayList<>();
    for (int i = 0; i < request.messages().size(); i++) {
      Message message = request.messages().get(i);
      refuseImages(message, i);
      switch (message.role()) {
        case SYSTEM, DEVELOPER -> system.add(message.text());
        case USER -> append(turns, "user", message.text());
        case ASSISTANT -> {
          if (asText) {
            append(turns, "assistant", assistantText(message));
          } else {
            turns.add(assistantTurn(message));
          }
        }
        case TOOL -> {
          if (asText) {
            append(turns, "user", ToolCalls.resultText(message.toolCallId(), message.text()));
          } else {
            turns.add(new JsonObject().put("role", "tool").put("tool_call_id", message.toolCallId())
                .put("content", message.text()));
          }
        }
      }
    }
    return render(model, withSystem(system, plan, turns), asText || templateTools.isEmpty() ? null
        : described(templateTools), true);
  }

  private static JsonArray described(List<Tool> tools) {
    JsonArray described = new JsonArray();
    for (Tool tool : tools) {
      described.add(new JsonObject().put("type", "function").put("function", new JsonObject()
          .put("name", tool.name()).put("description", tool.description())
          .put("parameters", ToolCalls.parameters(tool))));
    }
    return described;
  }

  /**
   * Renders OpenAI-shaped messages through the model's template.
   *
   * @param tools               OpenAI-shaped tools for the template, or null
   * @param addGenerationPrompt whether to end with the opening of the assistant's next turn
   */
  static String render(LlamaModel model, JsonArray messages, JsonArray tools, boolean addGenerationPrompt) {
    // A fresh parameters object: the binding aborts on one that was used to generate.
    // The binding's only setter for messages takes role and text pairs, which cannot carry tool calls,
    // tool results or the tools themselves.
    InferenceParameters parameters = new InferenceParameters("");
    RawParameters.put(parameters, "messages", messages.encode());
    RawParameters.put(parameters, "add_generation_prompt", Boolean.toString(addGenerationPrompt));
    if (tools != null) {
      RawParameters.put(parameters, "tools", tools.encode());
    }
    return model.applyTemplate(parameters);
  }

  private static JsonArray withSystem(List<String> system, String plan, JsonArray turns) {
    if (plan != null) {
      system.add(plan);
    }
    if (system.isEmpty()) {
      return turns;
    }
    return new JsonArray().add(new JsonObject().put("role", "system").put("content", String.join("\n\n", system)))
        .addAll(turns);
  }

  /** Adds a text turn, joined to the previous one when that has the same role. */
  private static void append(JsonArray turns, String role, String text) {
    JsonObject last = turns.isEmpty() ? null : turns.getJsonObject(turns.size() - 1);
    if (last != null && role.equals(last.getString("role"))) {
      last.put("content", last.getString("content") + "\n\n" + text);
    } else {
      turns.add(new JsonObject().put("role", role).put("content", text));
    }
  }

  private static String assistantText(Message message) {
    StringBuilder text = new StringBuilder(message.text());
    for (ToolCall call : message.toolCalls()) {
      text.append(ToolCalls.callText(call.name(), call.arguments()));
    }
    return text.toString();
  }

  private static JsonObject assistantTurn(Message message) {
    JsonObject turn = new JsonObject().put("role", "assistant").put("content", message.text());
    if (!message.toolCalls().isEmpty()) {
      JsonArray calls = new JsonArray();
      for (ToolCall call : message.toolCalls()) {
        calls.add(new JsonObject().put("id", call.id()).put("type", "function")
            .put("function", new JsonObject().put("name", call.name()).put("arguments", call.arguments())));
      }
      turn.put("tool_calls", calls);
    }
    return turn;
  }

  private static void refuseImages(Message message, int index) {
    for (int part = 0; part < message.content().size(); part++) {
      if (message.content().get(part) instanceof ContentPart.Image) {
        throw ApiError.invalidRequest("local models cannot take images: the llama.cpp build in java-llama.cpp 4.2.0"
            + " (b4916) has no vision support", "messages[" + index + "].content[" + part + "]").exception();
      }
    }
  }
}
