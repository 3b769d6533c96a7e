package io.lmbridge.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Folds a canonical event stream into the response it describes. */
public final class ChatResponseAccumulator {

  private final Map<Integer, ChoiceState> choices = new TreeMap<>();
  private Usage usage;

  public void accept(ChatEvent event) {
    if (event instanceof ChatEvent.TextDelta delta) {
      ChoiceState choice = choice(delta.choice());
      choice.text.append(delta.text());
      choice.logprobs = ChatEventMerger.joined(choice.logprobs, delta.logprobs());
    } else if (event instanceof ChatEvent.ReasoningDelta delta) {
      choice(delta.choice()).reasoning(delta);
    } else if (event instanceof ChatEvent.ToolCallDelta delta) {
      choice(delta.choice()).toolCall(delta);
    } else if (event instanceof ChatEvent.Finish finish) {
      choice(finish.choice()).finish = finish.reason();
    } else if (event instanceof ChatEvent.UsageReport report) {
      usage = report.usage();
    }
  }

  public ChatResponse response() {
    if (choices.isEmpty()) {
      choice(0);
    }
    List<ChatResponse.Choice> result = new ArrayList<>();
    choices.forEach((index, state) -> result.add(state.toChoice(index)));
    return new ChatResponse(result, usage);
  }

  private ChoiceState choice(int index) {
    return choices.computeIfAbsent(index, i -> new ChoiceState());
  }

  private static final class ChoiceState {
    final StringBuilder text = new StringBuilder();
    final StringBuilder reasoning = new StringBuilder();
    final Map<Integer, ToolCallState> toolCalls = new TreeMap<>();
    String signature;
    FinishReason finish;
    List<TokenLogprob> logprobs;

    void reasoning(ChatEvent.ReasoningDelta delta) {
      if (delta.text() != null) {
        reasoning.append(delta.text());
      }
      if (delta.signature() != null) {
        signature = delta.signature();
      }
    }

    void toolCall(ChatEvent.ToolCallDelta delta) {
      ToolCallState call = toolCalls.computeIfAbsent(delta.index(), i -> new ToolCallState());
      if (delta.id() != null) {
        call.id = delta.id();
      }
      if (delta.name() != null) {
        call.name = delta.name();
      }
      if (delta.arguments() != null) {
        call.arguments.append(delta.arguments());
      }
    }

    ChatResponse.Choice toChoice(int index) {
      List<ToolCall> calls = toolCalls.values().stream()
          .map(call -> new ToolCall(call.id, call.name, call.arguments.toString()))
          .toList();
      List<ContentPart> content = text.isEmpty() ? List.of() : List.of(new ContentPart.Text(text.toString()));
      Message message = new Message(Role.ASSISTANT, content, null, calls, null,
          reasoning.isEmpty() ? null : reasoning.toString(), signature);
      FinishReason reason = finish != null ? finish : calls.isEmpty() ? FinishReason.STOP : FinishReason.TOOL_CALLS;
      return new ChatResponse.Choice(index, message, reason, logprobs);
    }
  }

  private static final class ToolCallState {
    final StringBuilder arguments = new StringBuilder();
    String id;
    String name;
  }
}
