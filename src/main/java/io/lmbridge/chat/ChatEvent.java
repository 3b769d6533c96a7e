package io.lmbridge.chat;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.List;

/**
 * The canonical stream: what every provider's stream is translated into and every client dialect
 * renders from. {@code choice} is the completion index (for {@code n > 1}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ChatEvent.TextDelta.class, name = "text"),
    @JsonSubTypes.Type(value = ChatEvent.ReasoningDelta.class, name = "reasoning"),
    @JsonSubTypes.Type(value = ChatEvent.ToolCallDelta.class, name = "tool_call"),
    @JsonSubTypes.Type(value = ChatEvent.Finish.class, name = "finish"),
    @JsonSubTypes.Type(value = ChatEvent.UsageReport.class, name = "usage"),
    @JsonSubTypes.Type(value = ChatEvent.Failure.class, name = "error")
})
public sealed interface ChatEvent {

  /** @param logprobs the text's tokens with their log probabilities, when the request asked for them; else null */
  record TextDelta(int choice, String text, List<TokenLogprob> logprobs) implements ChatEvent {

    public TextDelta(int choice, String text) {
      this(choice, text, null);
    }
  }

  /** Reasoning text, and the provider's signature over it once it is complete. */
  record ReasoningDelta(int choice, String text, String signature) implements ChatEvent {
  }

  /**
   * A fragment of the tool call at position {@code index}: the first fragment carries {@code id}
   * and {@code name}, every fragment may carry a piece of the JSON arguments.
   */
  record ToolCallDelta(int choice, int index, String id, String name, String arguments) implements ChatEvent {
  }

  record Finish(int choice, FinishReason reason) implements ChatEvent {
  }

  record UsageReport(Usage usage) implements ChatEvent {
  }

  /** Ends the stream: the provider failed after the stream had started. */
  record Failure(ApiError error) implements ChatEvent {
  }
}
