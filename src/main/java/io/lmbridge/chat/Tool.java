package io.lmbridge.chat;

import io.vertx.core.json.JsonObject;

/** A function the model may call, described by a JSON Schema for its arguments. */
public record Tool(String name, String description, JsonObject parameters, Boolean strict) {
}
