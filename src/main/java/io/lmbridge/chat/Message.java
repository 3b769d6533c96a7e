package io.lmbridge.chat;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.List;

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
    if (content.size() == 1 && content.get(0) instanceof ContentPart.Text only) {
      return only.text();
    }
    StringBuilder text = new StringBuilder();
    for (ContentPart part : content) {
      if (part instanceof ContentPart.Text piece) {
        text.append(piece.text());
      }
    }
    return text.toString();
  }

  @JsonIgnore
  public boolean isTextOnly() {
    for (ContentPart part : content) {
      if (!(part instanceof ContentPart.Text)) {
        return false;
      }
    }
    return true;
  }
}
