package io.lmbridge.chat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Strict, typed reads of a client's JSON body. Every wrong shape becomes a 400 whose {@code param}
 * is the path of the offending field ({@code messages[2].content}), as OpenAI reports it.
 */
public final class JsonFields {

  private final JsonObject json;
  private final String path;

  private JsonFields(JsonObject json, String path) {
    this.json = json;
    this.path = path;
  }

  public static JsonFields of(JsonObject json) {
    return new JsonFields(json, "");
  }

  public JsonObject json() {
    return json;
  }

  public boolean has(String field) {
    return json.getValue(field) != null;
  }

  public String param(String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  public static ApiException invalid(String param, String problem) {
    return ApiError.invalidRequest(param + ": " + problem, param).exception();
  }

  public String requiredString(String field) {
    String value = string(field);
    if (value == null || value.isEmpty()) {
      throw invalid(param(field), "required, a non-empty string");
    }
    return value;
  }

  public String string(String field) {
    Object value = json.getValue(field);
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw invalid(param(field), "expected a string, got " + typeName(value));
  }

  public Boolean bool(String field) {
    Object value = json.getValue(field);
    if (value == null || value instanceof Boolean) {
      return (Boolean) value;
    }
    throw invalid(param(field), "expected a boolean, got " + typeName(value));
  }

  public Double number(String field, double min, double max) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number number)) {
      throw invalid(param(field), "expected a number, got " + typeName(value));
    }
    double result = number.doubleValue();
    if (result < min || result > max) {
      throw invalid(param(field), "must be between " + min + " and " + max + ", got " + result);
    }
    return result;
  }

  public Long integer(String field, long min) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())) {
      throw invalid(param(field), "expected an integer, got " + typeName(value));
    }
    // Beyond a long, longValue() would quietly saturate.
    if (Math.abs(number.doubleValue()) >= 0x1p63) {
      throw invalid(param(field), "expected an integer within 64 bits, got " + value);
    }
    if (number.longValue() < min) {
      throw invalid(param(field), "must be at least " + min + ", got " + number.longValue());
    }
    return number.longValue();
  }

  public Integer smallInteger(String field, int min) {
    Long value = integer(field, min);
    if (value != null && value > Integer.MAX_VALUE) {
      throw invalid(param(field), "must be at most " + Integer.MAX_VALUE + ", got " + value);
    }
    return value == null ? null : value.intValue();
  }

  public JsonObject object(String field) {
    Object value = json.getValue(field);
    if (value == null || value instanceof JsonObject) {
      return (JsonObject) value;
    }
    throw invalid(param(field), "expected an object, got " + typeName(value));
  }

  public JsonFields child(String field) {
    JsonObject value = object(field);
    return value == null ? null : new JsonFields(value, param(field));
  }

  public JsonArray array(String field) {
    Object value = json.getValue(field);
    if (value == null || value instanceof JsonArray) {
      return (JsonArray) value;
    }
    throw invalid(param(field), "expected an array, got " + typeName(value));
  }

  /** The objects of an array field, each readable with its indexed path. */
  public List<JsonFields> objects(String field) {
    JsonArray array = array(field);
    List<JsonFields> result = new ArrayList<>();
    if (array == null) {
      return result;
    }
    for (int i = 0; i < array.size(); i++) {
      String itemPath = param(field) + "[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject item)) {
        throw invalid(itemPath, "expected an object, got " + typeName(array.getValue(i)));
      }
      result.add(new JsonFields(item, itemPath));
    }
    return result;
  }

  /** A string or an array of strings (OpenAI's {@code stop}). */
  public List<String> stringOrStrings(String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return null;
    }
    if (value instanceof String text) {
      return List.of(text);
    }
    if (value instanceof JsonArray array && array.stream().allMatch(String.class::isInstance)) {
      return array.stream().map(String.class::cast).toList();
    }
    throw invalid(param(field), "expected a string or an array of strings");
  }

  /** An object whose values are all strings ({@code metadata}). */
  public Map<String, String> stringMap(String field) {
    JsonObject value = object(field);
    if (value == null) {
      return null;
    }
    Map<String, String> result = new TreeMap<>();
    value.forEach(entry -> {
      if (!(entry.getValue() instanceof String text)) {
        throw invalid(param(field) + "." + entry.getKey(), "expected a string");
      }
      result.put(entry.getKey(), text);
    });
    return result;
  }

  public static String typeName(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String) {
      return "a string";
    }
    if (value instanceof Boolean) {
      return "a boolean";
    }
    if (value instanceof Number) {
      return "a number";
    }
    if (value instanceof JsonArray) {
      return "an array";
    }
    return "an object";
  }
}
