package io.lmbridge.local.runner;

import com.fasterxml.jackson.core.JsonParser;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.DatabindCodec;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a model writes a tool call: an opening (such as {@code <tool_call>}, {@code [TOOL_CALLS]}, or
 * nothing) followed by the call as JSON, either {@code {"name", "arguments"}} (or {@code "parameters"},
 * or OpenAI's {@code {"function": {...}}}), a list of those, or {@code {"tool_calls": [...]}}.
 *
 * <p>A model whose template renders tools is asked for calls in its own format, so its calls are read
 * in that format too. Rather than keep a list of model families, the opening is found by rendering a
 * probe call through the template and reading what precedes the call's JSON, as Ollama does.
 */
public record ToolSyntax(String opening) {

  /** A model's chat template, applied to OpenAI-shaped messages and tools. */
  @FunctionalInterface
  public interface Template {
    String render(JsonArray messages, JsonArray tools, boolean addGenerationPrompt);
  }

  /** The format the system plan teaches ({@link PromptedTools#plan}). */
  public static final ToolSyntax TAGGED = new ToolSyntax(PromptedTools.OPEN);

  private static final String PROBE = "lmbridge_probe";

  /**
   * The syntax of the model's template, or empty when the probe call cannot be found in what the
   * template renders (it drops calls, or writes them as something other than JSON).
   */
  public static Optional<ToolSyntax> of(Template template) {
    JsonArray tools = new JsonArray().add(new JsonObject().put("type", "function").put("function", new JsonObject()
        .put("name", PROBE).put("description", "probe").put("parameters", new JsonObject().put("type", "object"))));
    JsonObject user = new JsonObject().put("role", "user").put("content", "probe");
    JsonObject call = new JsonObject().put("role", "assistant").put("content", "").put("tool_calls", new JsonArray()
        .add(new JsonObject().put("id", "call_probe").put("type", "function")
            .put("function", new JsonObject().put("name", PROBE).put("arguments", "{\"probe\": true}"))));
    String asked = template.render(new JsonArray().add(user), tools, true);
    String answered = template.render(new JsonArray().add(user).add(call), tools, false);
    if (!answered.startsWith(asked)) {
      return Optional.empty();
    }
    String written = answered.substring(asked.length());
    int name = written.indexOf(PROBE);
    // The first bracket whose JSON value spans the probe's name is the outermost: the call's JSON.
    for (int start = 0; start < name && name >= 0; start++) {
      char c = written.charAt(start);
      if (c != '{' && c != '[') {
        continue;
      }
      Parsed value = valueAt(written, start);
      if (value != null && value.end() > name) {
        return Optional.of(new ToolSyntax(written.substring(0, start).strip()));
      }
    }
    return Optional.empty();
  }

  /** Whether a streamed answer that starts like this might still become a call, so it must not be shown yet. */
  boolean mightBeCall(String start) {
    String trimmed = start.stripLeading();
    if (opening.isEmpty()) {
      return trimmed.isEmpty() || trimmed.charAt(0) == '{' || trimmed.charAt(0) == '[';
    }
    return trimmed.length() < opening.length() ? opening.startsWith(trimmed) : trimmed.startsWith(opening);
  }

  /**
   * The calls in a finished answer, each as {@code {"name", "arguments"}} with the arguments as
   * written (an object, or a string holding one); empty when the answer does not open with a call.
   */
  List<JsonObject> calls(String answer) {
    String text = answer.strip();
    List<JsonObject> calls = new ArrayList<>();
    int from = 0;
    while (from < text.length() && text.startsWith(opening, from)) {
      int start = from + opening.length();
      while (start < text.length() && Character.isWhitespace(text.charAt(start))) {
        start++;
      }
      Parsed value = valueAt(text, start);
      if (value == null) {
        break;
      }
      collect(value.json(), calls);
      from = opening.isEmpty() ? skipSpace(text, value.end()) : text.indexOf(opening, value.end());
      if (from < 0) {
        break;
      }
    }
    return calls;
  }

  private static void collect(Object json, List<JsonObject> into) {
    if (json instanceof JsonArray list) {
      list.forEach(item -> collect(item, into));
    } else if (json instanceof JsonObject object) {
      if (object.getValue("tool_calls") instanceof JsonArray list) {
        collect(list, into);
      } else if (object.getValue("function") instanceof JsonObject function) {
        collect(function, into);
      } else if (object.getValue("name") instanceof String name) {
        Object arguments = object.containsKey("arguments") ? object.getValue("arguments") : object.getValue("parameters");
        into.add(new JsonObject().put("name", name).put("arguments", arguments));
      }
    }
  }

  private static int skipSpace(String text, int from) {
    while (from < text.length() && Character.isWhitespace(text.charAt(from))) {
      from++;
    }
    return from;
  }

  private record Parsed(Object json, int end) {
  }

  /** The JSON object or array that starts at {@code from}, and where it ends; null when none parses there. */
  private static Parsed valueAt(String text, int from) {
    if (from >= text.length() || text.charAt(from) != '{' && text.charAt(from) != '[') {
      return null;
    }
    try (JsonParser parser = DatabindCodec.mapper().createParser(text.substring(from))) {
      parser.readValueAsTree();
      int end = from + (int) parser.currentLocation().getCharOffset();
      return new Parsed(Json.decodeValue(text.substring(from, end)), end);
    } catch (IOException | RuntimeException notJson) {
      return null;
    }
  }
}
