package io.lmbridge.local.runner;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.Pair;
import io.lmbridge.chat.ApiError;
import io.lmbridge.chat.ChatRequest;
import io.lmbridge.chat.ContentPart;
import io.lmbridge.chat.Message;
import io.lmbridge.chat.ToolCall;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders a chat request into the prompt text the model continues, through the model's own chat
 * template (its GGUF's Jinja template, else the configured one, else one llama.cpp detects). The
 * binding's template call takes plain role and text pairs, so tool calls and tool results are
 * written as tagged text, the same tags {@link ToolCalls} asks the model to use.
 */
final class PromptBuilder {

  private PromptBuilder() {
  }

  /** @param plan system text describing the expected JSON or the tools, or null */
  static String build(LlamaModel model, ChatRequest request, String plan) {
    List<String> system = new ArrayList<>();
    List<Pair<String, String>> turns = new ArrayList<>();
    for (int i = 0; i < request.messages().size(); i++) {
      Message message = request.messages().get(i);
      refuseImages(message, i);
      switch (message.role()) {
        case SYSTEM, DEVELOPER -> system.add(message.text());
        case USER -> turns.add(new Pair<>("user", message.text()));
        case ASSISTANT -> turns.add(new Pair<>("assistant", assistantText(message)));
        case TOOL -> turns.add(new Pair<>("user", ToolCalls.resultText(message.toolCallId(), message.text())));
      }
    }
    if (plan != null) {
      system.add(plan);
    }
    // A fresh parameters object: the binding aborts on one that was used to generate.
    return model.applyTemplate(new InferenceParameters("")
        .setMessages(system.isEmpty() ? null : String.join("\n\n", system), turns));
  }

  private static String assistantText(Message message) {
    StringBuilder text = new StringBuilder(message.text());
    for (ToolCall call : message.toolCalls()) {
      text.append(ToolCalls.callText(call.name(), call.arguments()));
    }
    return text.toString();
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
