package io.lmbridge.chat;

/** A function call made by the model; {@code arguments} is the JSON text the model produced. */
public record ToolCall(String id, String name, String arguments) {
}
