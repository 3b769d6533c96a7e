package io.lmbridge.provider;

import io.lmbridge.chat.ApiError;
import io.lmbridge.chat.Ids;
import io.lmbridge.chat.Message;
import io.lmbridge.chat.Role;
import io.lmbridge.chat.ToolCall;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tool calls on wires that give arguments as a JSON object and calls no id (Gemini, Ollama), while
 * OpenAI clients expect arguments as JSON text and answer each call by its id.
 */
public final class ObjectToolCalls {

  private ObjectToolCalls() {
  }

  /** An id for a call the provider did not name; the client echoes it back in its tool message. */
  public static String newId() {
    return "call_" + Ids.next();
  }

  /** The arguments object as the JSON text OpenAI clients parse. */
  public static String argumentsText(JsonObject arguments) {
    return arguments == null ? "{}" : arguments.encode();
  }

  /** The JSON text of a client's earlier tool call as the object the provider wants back. */
  public static JsonObject argumentsObject(String text, String param) {
    if (text == null || text.isBlank()) {
      return new JsonObject();
    }
    try {
      return new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw ApiError.invalidRequest(param + ": tool call arguments must be a JSON object", param).exception();
    }
  }

  /** Function names by call id, over the assistant turns of a conversation. */
  public static Map<String, String> namesById(List<Message> messages) {
    Map<String, String> names = new HashMap<>();
    for (Message message : messages) {
      for (ToolCall call : message.toolCalls()) {
        names.put(call.id(), call.name());
      }
    }
    return names;
  }

  /** The function a tool message answers, which these wires name instead of giving the call id. */
  public static String answeredFunction(Message toolMessage, int index, Map<String, String> namesById) {
    String name = namesById.get(toolMessage.toolCallId());
    if (name == null && toolMessage.role() == Role.TOOL && toolMessage.name() != null) {
      name = toolMessage.name();
    }
    if (name == null) {
      String param = "messages[" + index + "].tool_call_id";
      throw ApiError.invalidRequest(param + ": no earlier assistant tool call has the id '"
          + toolMessage.toolCallId() + "'", param).exception();
    }
    return name;
  }
}
