package io.lmbridge.ingress.realtime;

import io.lmbridge.chat.JsonFields;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** A session's default conversation: its items in order, in the kept shape. */
final class Conversation {

  private final List<JsonObject> items = new ArrayList<>();

  List<JsonObject> items() {
    return List.copyOf(items);
  }

  /**
   * Inserts after {@code previousItemId} ({@code "root"} for the start), or at the end when it is
   * null; returns the id of the item before it, or null.
   */
  String add(JsonObject item, String previousItemId) {
    if (find(item.getString("id")) >= 0) {
      throw JsonFields.invalid("item.id", "an item with id '" + item.getString("id") + "' already exists");
    }
    int at;
    if (previousItemId == null) {
      at = items.size();
    } else if (previousItemId.equals("root")) {
      at = 0;
    } else {
      at = indexOf(previousItemId, "previous_item_id") + 1;
    }
    items.add(at, item);
    return at == 0 ? null : items.get(at - 1).getString("id");
  }

  void addAll(List<JsonObject> added) {
    items.addAll(added);
  }

  JsonObject get(String id, String param) {
    return items.get(indexOf(id, param));
  }

  void delete(String id) {
    items.remove(indexOf(id, "item_id"));
  }

  private int indexOf(String id, String param) {
    int index = find(id);
    if (index < 0) {
      throw ServerEvents.invalid("item_not_found", "no item with id '" + id + "' in the conversation", param)
          .exception();
    }
    return index;
  }

  private int find(String id) {
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i).getString("id").equals(id)) {
        return i;
      }
    }
    return -1;
  }
}
