package io.lmbridge.ingress.realtime;

import io.lmbridge.chat.ContentPart;
import io.lmbridge.chat.Ids;
import io.lmbridge.chat.JsonFields;
import io.lmbridge.chat.Message;
import io.lmbridge.chat.Role;
import io.lmbridge.chat.ToolCall;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Realtime conversation items: what clients send is checked and kept in the GA shape (an
 * {@code id}, {@code object: "realtime.item"}, {@code status}), and a list of them becomes the
 * canonical chat turns when a response is made.
 */
final class ConversationItems {

  private ConversationItems() {
  }

  /** A client's item as the session keeps it, or an {@code ApiException} naming what is wrong. */
  static JsonObject accept(JsonFields item) {
    String type = item.requiredString("type");
    JsonObject kept = new JsonObject()
        .put("id", item.string("id") == null ? "item_" + Ids.next() : item.string("id"))
        .put("object", "realtime.item")
        .put("type", type)
        .put("status", "completed");
    switch (type) {
      case "message" -> {
        String role = item.requiredString("role");
        if (!List.of("user", "system", "assistant").contains(role)) {
          throw JsonFields.invalid(item.param("role"), "unknown role '" + role + "'; expected user, system or assistant");
        }
        kept.put("role", role).put("content", content(item, role));
      }
      case "function_call" -> kept.put("call_id", item.requiredString("call_id"))
          .put("name", item.requiredString("name"))
          .put("arguments", item.string("arguments") == null ? "" : item.string("arguments"));
      case "function_call_output" -> kept.put("call_id", item.requiredString("call_id"))
          .put("output", present(item, "output"));
      default -> throw JsonFields.invalid(item.param("type"),
          "unsupported item type '" + type + "'; supported: message, function_call, function_call_output");
    }
    return kept;
  }

  private static JsonArray content(JsonFields item, String role) {
    JsonArray parts = new JsonArray();
    List<JsonFields> given = item.objects("content");
    if (given.isEmpty()) {
      throw JsonFields.invalid(item.param("content"), "required, a non-empty array of content parts");
    }
    for (JsonFields part : given) {
      String type = part.requiredString("type");
      switch (type) {
        case "input_text", "text", "output_text" -> parts.add(new JsonObject()
            .put("type", role.equals("assistant") ? "output_text" : "input_text")
            .put("text", present(part, "text")));
        case "input_image" -> {
          if (!role.equals("user")) {
            throw JsonFields.invalid(part.param("type"), "images are only allowed in user messages");
          }
          parts.add(new JsonObject().put("type", "input_image").put("image_url", part.requiredString("image_url"))
              .put("detail", part.string("detail")));
        }
        case "input_audio", "audio", "output_audio" -> throw ServerEvents.audioUnsupported(
            "content part '" + type + "'", part.param("type")).exception();
        default -> throw JsonFields.invalid(part.param("type"),
            "unsupported content part '" + type + "'; supported: input_text, output_text, input_image");
      }
    }
    return parts;
  }

  /** A string that may be empty but must be there. */
  private static String present(JsonFields fields, String field) {
    String value = fields.string(field);
    if (value == null) {
      throw JsonFields.invalid(fields.param(field), "required, a string");
    }
    return value;
  }

  /** The item as a client of this dialect reads it: the beta named an assistant's text part {@code text}. */
  static JsonObject render(JsonObject item, RealtimeDialect dialect) {
    if (dialect == RealtimeDialect.GA || !"assistant".equals(item.getString("role"))) {
      return item;
    }
    JsonObject copy = item.copy();
    copy.getJsonArray("content").forEach(part -> ((JsonObject) part).put("type", dialect.assistantTextPart));
    return copy;
  }

  /** Chat turns for kept items; consecutive function calls form one assistant turn (parallel calls). */
  static List<Message> toMessages(List<JsonObject> items) {
    List<Message> messages = new ArrayList<>();
    for (JsonObject item : items) {
      switch (item.getString("type")) {
        case "message" -> messages.add(new Message(role(item.getString("role")), parts(item.getJsonArray("content")),
            null, null, null, null, null));
        case "function_call" -> addCall(messages, new ToolCall(item.getString("call_id"), item.getString("name"),
            item.getString("arguments")));
        default -> messages.add(new Message(Role.TOOL, List.of(new ContentPart.Text(item.getString("output"))), null,
            null, item.getString("call_id"), null, null));
      }
    }
    return messages;
  }

  private static void addCall(List<Message> messages, ToolCall call) {
    Message last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
    if (last != null && last.role() == Role.ASSISTANT) {
      List<ToolCall> calls = new ArrayList<>(last.toolCalls());
      calls.add(call);
      messages.set(messages.size() - 1, new Message(Role.ASSISTANT, last.content(), null, calls, null, null, null));
    } else {
      messages.add(new Message(Role.ASSISTANT, List.of(), null, List.of(call), null, null, null));
    }
  }

  private static Role role(String name) {
    return switch (name) {
      case "system" -> Role.SYSTEM;
      case "assistant" -> Role.ASSISTANT;
      default -> Role.USER;
    };
  }

  private static List<ContentPart> parts(JsonArray content) {
    List<ContentPart> parts = new ArrayList<>();
    for (Object value : content) {
      JsonObject part = (JsonObject) value;
      if ("input_image".equals(part.getString("type"))) {
        parts.add(new ContentPart.Image(part.getString("image_url"), part.getString("detail")));
      } else {
        parts.add(new ContentPart.Text(part.getString("text")));
      }
    }
    return parts;
  }
}
