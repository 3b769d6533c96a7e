package io.lmbridge.chat.openai;

import io.lmbridge.chat.JsonFields;
import io.lmbridge.chat.ResponseFormat;
import io.lmbridge.chat.Tool;
import io.lmbridge.chat.ToolChoice;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Request fields that Chat Completions and the Responses API share in meaning but not in nesting:
 * Chat Completions wraps a function in {@code {"function": {...}}} and a schema in
 * {@code {"json_schema": {...}}}, the Responses API writes both flat. Each dialect says where the
 * inner object is; the parsing and its errors are the same.
 */
public final class OpenAiRequestFields {

  /** Chat Completions nesting: the definition sits under {@code field}, which is then required. */
  public static Function<JsonFields, JsonFields> nestedUnder(String field) {
    return outer -> {
      JsonFields inner = outer.child(field);
      if (inner == null) {
        throw JsonFields.invalid(outer.param(field), "required");
      }
      return inner;
    };
  }

  /** Responses API nesting: the definition is the object itself. */
  public static final Function<JsonFields, JsonFields> FLAT = outer -> outer;

  /** OpenAI's bound on {@code top_logprobs}. */
  private static final int MAX_TOP_LOGPROBS = 20;

  private OpenAiRequestFields() {
  }

  /** {@code top_logprobs}: alternatives per generated token, 0 to 20; null when absent. */
  public static Integer topLogprobs(JsonFields fields) {
    Integer top = fields.smallInteger("top_logprobs", 0);
    if (top != null && top > MAX_TOP_LOGPROBS) {
      throw JsonFields.invalid("top_logprobs", "must be at most " + MAX_TOP_LOGPROBS + ", got " + top);
    }
    return top;
  }

  public static List<Tool> tools(JsonFields fields, Function<JsonFields, JsonFields> definition) {
    List<Tool> tools = new ArrayList<>();
    for (JsonFields tool : fields.objects("tools")) {
      String type = tool.requiredString("type");
      if (!"function".equals(type)) {
        throw JsonFields.invalid(tool.param("type"), "unsupported tool type '" + type + "'; supported: function");
      }
      JsonFields function = definition.apply(tool);
      tools.add(new Tool(function.requiredString("name"), function.string("description"),
          function.object("parameters"), function.bool("strict")));
    }
    return tools;
  }

  public static ToolChoice toolChoice(JsonFields fields, Function<JsonFields, JsonFields> definition) {
    Object value = fields.json().getValue("tool_choice");
    if (value == null) {
      return null;
    }
    if (value instanceof String mode) {
      return switch (mode) {
        case "auto" -> ToolChoice.of(ToolChoice.Mode.AUTO);
        case "none" -> ToolChoice.of(ToolChoice.Mode.NONE);
        case "required" -> ToolChoice.of(ToolChoice.Mode.REQUIRED);
        default -> throw JsonFields.invalid("tool_choice", "expected auto, none, required or a function");
      };
    }
    JsonFields choice = fields.child("tool_choice");
    if (!"function".equals(choice.string("type"))) {
      throw JsonFields.invalid(choice.param("type"), "only function tool choices are supported");
    }
    return new ToolChoice(ToolChoice.Mode.FUNCTION, definition.apply(choice).requiredString("name"));
  }

  public static ResponseFormat responseFormat(JsonFields format, Function<JsonFields, JsonFields> definition) {
    if (format == null) {
      return null;
    }
    String type = format.requiredString("type");
    return switch (type) {
      case "text" -> ResponseFormat.of(ResponseFormat.Type.TEXT);
      case "json_object" -> ResponseFormat.of(ResponseFormat.Type.JSON_OBJECT);
      case "json_schema" -> {
        JsonFields schema = definition.apply(format);
        yield new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, schema.requiredString("name"),
            schema.string("description"), schema.object("schema"), schema.bool("strict"));
      }
      default -> throw JsonFields.invalid(format.param("type"),
          "unknown format '" + type + "'; expected text, json_object or json_schema");
    };
  }
}
