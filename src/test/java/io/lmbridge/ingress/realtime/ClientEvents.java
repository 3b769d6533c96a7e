package io.lmbridge.ingress.realtime;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.stream.Collectors;

/** Client events as the raw-socket tests write them, and what they read back from the server's events. */
final class ClientEvents {

  private ClientEvents() {
  }

  static JsonObject userMessage(String text) {
    return new JsonObject().put("type", "message").put("role", "user")
        .put("content", new JsonArray().add(new JsonObject().put("type", "input_text").put("text", text)));
  }

  static JsonObject createItem(JsonObject item) {
    return new JsonObject().put("type", "conversation.item.create").put("item", item);
  }

  static JsonObject event(String type) {
    return new JsonObject().put("type", type);
  }

  /** The text the {@code deltaType} events carried, in order. */
  static String joined(List<JsonObject> events, String deltaType) {
    return events.stream().filter(e -> deltaType.equals(e.getString("type")))
        .map(e -> e.getString("delta")).collect(Collectors.joining());
  }

  static List<String> types(List<JsonObject> events) {
    return events.stream().map(e -> e.getString("type")).toList();
  }
}
