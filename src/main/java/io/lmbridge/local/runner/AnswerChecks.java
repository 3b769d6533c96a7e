package io.lmbridge.local.runner;

import io.lmbridge.chat.ApiError;
import io.lmbridge.chat.ChatEvent;
import io.lmbridge.chat.ChatEventMerger;
import io.lmbridge.chat.FinishReason;
import io.lmbridge.chat.TokenLogprob;
import io.lmbridge.chat.ToolCall;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the gateway checks in a local model's answer before a client sees it, per choice: text that
 * may be a tool call in the gateway's format is held back until it is known not to be one (a forced
 * call is held whole), and read into tool calls at the end; an answer that had to be JSON is checked
 * against its schema at the end, and fails the stream if it does not match.
 */
final class AnswerChecks implements Consumer<List<ChatEvent>> {

  private final Consumer<List<ChatEvent>> downstream;
  private final Optional<PromptedTools> tools;
  private final Optional<StructuredOutput> structured;
  private final Map<Integer, Answer> answers = new HashMap<>();

  AnswerChecks(Consumer<List<ChatEvent>> downstream, Optional<PromptedTools> tools,
               Optional<StructuredOutput> structured) {
    this.downstream = downstream;
    this.tools = tools;
    this.structured = structured;
  }

  private final class Answer {
    final StringBuilder text = new StringBuilder();
    boolean holding = tools.isPresent();
    List<TokenLogprob> heldLogprobs;
  }

  @Override
  public void accept(List<ChatEvent> events) {
    List<ChatEvent> checked = new ArrayList<>(events.size());
    for (ChatEvent event : events) {
      if (event instanceof ChatEvent.TextDelta delta) {
        text(delta, checked);
      } else if (event instanceof ChatEvent.Finish finish) {
        finish(finish, checked);
      } else {
        checked.add(event);
      }
    }
    downstream.accept(checked);
  }

  private void text(ChatEvent.TextDelta delta, List<ChatEvent> out) {
    Answer answer = answers.computeIfAbsent(delta.choice(), choice -> new Answer());
    answer.text.append(delta.text());
    if (!answer.holding) {
      out.add(delta);
      return;
    }
    answer.heldLogprobs = ChatEventMerger.joined(answer.heldLogprobs, delta.logprobs());
    PromptedTools offered = tools.orElseThrow();
    if (!offered.forced() && !offered.mightBeCall(answer.text.toString())) {
      answer.holding = false;
      out.add(new ChatEvent.TextDelta(delta.choice(), answer.text.toString(), answer.heldLogprobs));
    }
  }

  private void finish(ChatEvent.Finish finish, List<ChatEvent> out) {
    int choice = finish.choice();
    Answer answer = answers.computeIfAbsent(choice, index -> new Answer());
    String text = answer.text.toString();
    ApiError invalid = structured.map(format -> format.check(text, finish.reason() == FinishReason.LENGTH))
        .orElse(null);
    if (invalid != null) {
      out.add(new ChatEvent.Failure(invalid));
      return;
    }
    List<ToolCall> calls = tools.map(offered -> offered.parse(text)).orElse(List.of());
    if (!calls.isEmpty()) {
      for (int i = 0; i < calls.size(); i++) {
        ToolCall call = calls.get(i);
        out.add(new ChatEvent.ToolCallDelta(choice, i, call.id(), call.name(), call.arguments()));
      }
      out.add(new ChatEvent.Finish(choice, FinishReason.TOOL_CALLS));
      return;
    }
    if (tools.map(PromptedTools::forced).orElse(false)) {
      out.add(new ChatEvent.Failure(new ApiError(502, "server_error", "local model: the required tool call was not"
          + " made: the answer was cut off at max_tokens, or its call does not match the tool's parameters", null,
          "invalid_tool_call", null)));
      return;
    }
    if (answer.holding && !text.isEmpty()) {
      out.add(new ChatEvent.TextDelta(choice, text, answer.heldLogprobs));
    }
    out.add(finish);
  }
}
