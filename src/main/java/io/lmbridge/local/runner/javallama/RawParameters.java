package io.lmbridge.local.runner.javallama;

import de.kherud.llama.InferenceParameters;

import java.lang.reflect.Field;
import java.util.Map;

/**
 * Writes request fields that java-llama.cpp's parameters object has no setter for. It serialises a
 * package-private map of raw JSON values, and llama.cpp reads more of the request than the setters
 * cover: messages with tool calls, tool results and the tools themselves for the template, and the
 * slot a generation runs in.
 */
final class RawParameters {

  private static final Field VALUES = values();

  private RawParameters() {
  }

  /** @param json the field's value as JSON text */
  static InferenceParameters put(InferenceParameters parameters, String field, String json) {
    values(parameters).put(field, json);
    return parameters;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> values(InferenceParameters parameters) {
    try {
      return (Map<String, String>) VALUES.get(parameters);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("java-llama.cpp's parameters map cannot be written", e);
    }
  }

  private static Field values() {
    try {
      Field field = InferenceParameters.class.getSuperclass().getDeclaredField("parameters");
      field.setAccessible(true);
      return field;
    } catch (NoSuchFieldException e) {
      throw new IllegalStateException("this java-llama.cpp has no parameters map; RawParameters needs updating", e);
    }
  }
}
