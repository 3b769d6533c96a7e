package io.lmbridge.chat;

import io.vertx.core.json.JsonObject;

/** Requested output shape; {@code name}, {@code schema} and {@code strict} apply to {@link Type#JSON_SCHEMA}. */
public record ResponseFormat(Type type, String name, String description, JsonObject schema, Boolean strict) {

  public enum Type { TEXT, JSON_OBJECT, JSON_SCHEMA }

  public static ResponseFormat of(Type type) {
    return new ResponseFormat(type, null, null, null, null);
  }
}
