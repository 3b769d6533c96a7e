package io.lmbridge.local.runner;

import io.lmbridge.chat.ContentPart;
import io.lmbridge.chat.Message;
import io.lmbridge.chat.Role;
import io.lmbridge.chat.ToolCall;

import java.util.ArrayList;
import java.util.List;

/**
 * A conversation in the shape every chat template takes, whichever engine renders it: one system
 * turn first (the client's system and developer messages, and the gateway's own instructions),
 * then alternating turns. Templates such as Gemma's and Mistral's raise an error when roles do not
 * alternate, so consecutive turns of one role are joined.
 *
 * <p>When tools do not go through the model's template, earlier calls and tool results are written
 * as the text {@link PromptedTools#plan} teaches, in assistant and user turns.
 */
final class ConversationTurns {

  private static final String SEPARATOR = "\n\n";

  private ConversationTurns() {
  }

  /**
   * @param instructions the gateway's system text (the expected JSON, the tools), or null
   * @param toolsAsText  write calls and results as text, for a template that does not render tools
   */
  static List<Message> of(List<Message> messages, String instructions, boolean toolsAsText) {
    List<String> system = new ArrayList<>();
    List<Message> turns = new ArrayList<>();
    for (Message message : messages) {
      switch (message.role()) {
        case SYSTEM, DEVELOPER -> system.add(message.text());
        case ASSISTANT -> append(turns, toolsAsText ? assistantText(message) : message);
        case TOOL -> append(turns, toolsAsText
            ? Message.text(Role.USER, PromptedTools.resultText(message.toolCallId(), message.text())) : message);
        case USER -> append(turns, message);
      }
    }
    if (instructions != null) {
      system.add(instructions);
    }
    if (!system.isEmpty()) {
      turns.add(0, Message.text(Role.SYSTEM, String.join(SEPARATOR, system)));
    }
    return turns;
  }

  /** Adds a turn, joined to the previous one when both are plain turns of the same role. */
  private static void append(List<Message> turns, Message message) {
    Message last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
    if (last == null || last.role() != message.role() || !plain(last) || !plain(message)) {
      turns.add(message);
      return;
    }
    List<ContentPart> content = new ArrayList<>(last.content());
    content.add(new ContentPart.Text(SEPARATOR));
    content.addAll(message.content());
    turns.set(turns.size() - 1, new Message(last.role(), joinText(content), null, null, null, null, null));
  }

  private static boolean plain(Message message) {
    return message.toolCalls().isEmpty() && message.toolCallId() == null && message.reasoning() == null;
  }

  /** Adjacent text parts become one, so a text-only turn stays one string for templates that want that. */
  private static List<ContentPart> joinText(List<ContentPart> parts) {
    List<ContentPart> joined = new ArrayList<>();
    for (ContentPart part : parts) {
      int last = joined.size() - 1;
      if (part instanceof ContentPart.Text text && last >= 0 && joined.get(last) instanceof ContentPart.Text previous) {
        joined.set(last, new ContentPart.Text(previous.text() + text.text()));
      } else {
        joined.add(part);
      }
    }
    return joined;
  }

  private static Message assistantText(Message message) {
    StringBuilder text = new StringBuilder(message.text());
    for (ToolCall call : message.toolCalls()) {
      text.append(PromptedTools.callText(call.name(), call.arguments()));
    }
    return Message.text(Role.ASSISTANT, text.toString());
  }
}
