package io.lmbridge.local.runner.javallama;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import io.lmbridge.chat.Message;
import io.lmbridge.chat.Tool;
import io.lmbridge.chat.ToolCall;
import io.lmbridge.local.runner.PromptedTools;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Renders a conversation into the prompt text the model continues, through the model's own chat
 * template (its GGUF's Jinja template, else the configured one, else one llama.cpp detects), with
 * java-llama.cpp's {@code applyTemplate}: the binding generates from a prompt, not from messages.
 */
final class PromptBuilder {

  private PromptBuilder() {
  }

  /**
   * @param turns the conversation ({@code RequestPlan.turns})
   * @param tools the tools for a template that renders them; empty for none
   */
  static String render(LlamaModel model, List<Message> turns, List<Tool> tools) {
    JsonArray messages = new JsonArray();
    turns.forEach(turn -> messages.add(turn(turn)));
    return render(model, messages, tools.isEmpty() ? null : described(tools), true);
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

  private static JsonObject turn(Message message) {
    JsonObject turn = new JsonObject().put("role", message.role().wireName()).put("content", message.text());
    if (!message.toolCalls().isEmpty()) {
      JsonArray calls = new JsonArray();
      for (ToolCall call : message.toolCalls()) {
        calls.add(new JsonObject().put("id", call.id()).put("type", "function")
            .put("function", new JsonObject().put("name", call.name()).put("arguments", call.arguments())));
      }
      turn.put("tool_calls", calls);
    }
    if (message.toolCallId() != null) {
      turn.put("tool_call_id", message.toolCallId());
    }
    return turn;
  }

  private static JsonArray described(List<Tool> tools) {
    JsonArray described = new JsonArray();
    for (Tool tool : tools) {
      described.add(new JsonObject().put("type", "function").put("function", new JsonObject()
          .put("name", tool.name()).put("description", tool.description())
          .put("parameters", PromptedTools.parameters(tool))));
    }
    return described;
  }
}
