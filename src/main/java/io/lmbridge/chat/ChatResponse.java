package io.lmbridge.chat;

import java.util.List;

/** A finished response: one choice per requested completion ({@code n}), and usage when the provider told. */
public record ChatResponse(List<Choice> choices, Usage usage) {

  public ChatResponse {
    choices = List.copyOf(choices);
  }

  /**
   * @param message  the assistant turn: text, reasoning, tool calls
   * @param logprobs its text's tokens with their log probabilities, when the request asked for them; else null
   */
  public record Choice(int index, Message message, FinishReason finishReason, List<TokenLogprob> logprobs) {

    public Choice(int index, Message message, FinishReason finishReason) {
      this(index, message, finishReason, null);
    }
  }
}
