package io.lmbridge.chat;

import java.util.ArrayList;
import java.util.List;

/**
 * A finished response as the canonical stream that would have produced it: the inverse of
 * {@link ChatResponseAccumulator}, so a cached answer can be replayed to a streaming client.
 */
public final class ChatResponseEvents {

  private ChatResponseEvents() {
  }

  public static List<ChatEvent> of(ChatResponse response) {
    List<ChatEvent> events = new ArrayList<>();
    for (ChatResponse.Choice choice : response.choices()) {
      Message message = choice.message();
      int index = choice.index();
      if (message.reasoning() != null || message.reasoningSignature() != null) {
        events.add(new ChatEvent.ReasoningDelta(index, message.reasoning(), message.reasoningSignature()));
      }
      String text = message.text();
      if (!text.isEmpty()) {
        events.add(new ChatEvent.TextDelta(index, text, choice.logprobs()));
      }
      List<ToolCall> calls = message.toolCalls();
      for (int i = 0; i < calls.size(); i++) {
        ToolCall call = calls.get(i);
        events.add(new ChatEvent.ToolCallDelta(index, i, call.id(), call.name(), call.arguments()));
      }
      events.add(new ChatEvent.Finish(index, choice.finishReason()));
    }
    if (response.usage() != null) {
      events.add(new ChatEvent.UsageReport(response.usage()));
    }
    return events;
  }
}
