package io.lmbridge.chat;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One conversation turn. Assistant turns may carry tool calls and the model's reasoning (with the
 * provider's signature, so it can be sent back on the next turn); tool turns answer a call by id.
 */
public record Message(
    Role role,
    List<ContentPart> content,
    String name,
    List<ToolCall> toolCalls,
    String toolCallId,
    String reasoning,
    String reasoningSignature) {

  public Message {
    content = content == null ? List.of() : List.copyOf(content);
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
  }

  public static Message text(Role role, String text) {
    return new Message(role, List.of(new ContentPart.Text(text)), null, null, null, null, null);
  }

  /** The text parts joined, which is what providers without multi-part content receive. */
  @JsonIgnore
  public String text() {
    return content.stream()
        .filter(ContentPart.Text.class::isInstance)
        .map(part -> ((ContentPart.Text) part).text())
        .collect(Collectors.joining());
  }

  @JsonIgnore
  public boolean isTextOnly() {
    return content.stream().allMatch(ContentPart.Text.class::isInstance);
  }
}
