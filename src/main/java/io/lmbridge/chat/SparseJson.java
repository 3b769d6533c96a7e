package io.lmbridge.chat;

import io.vertx.core.json.JsonObject;

/**
 * Writing request bodies for the wire: a field the client left unset stays absent rather than
 * {@code null}, since providers read an explicit {@code null} differently or reject it.
 */
public final class SparseJson {

  private SparseJson() {
  }

  public static void putIfSet(JsonObject json, String field, Object value) {
    if (value != null) {
      json.put(field, value);
    }
  }
}
