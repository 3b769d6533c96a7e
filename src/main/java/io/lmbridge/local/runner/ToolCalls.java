package io.lmbridge.local.runner;

import io.lmbridge.chat.ApiError;
import io.lmbridge.chat.ChatRequest;
import io.lmbridge.chat.Ids;
import io.lmbridge.chat.Tool;
import io.lmbridge.chat.ToolCall;
import io.lmbridge.chat.ToolChoice;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Tool calling for models that have no tool format the binding can parse. The model is told to
 * answer a call as {@code <tool_call>{"name": ..., "arguments": {...}}</tool_call>}. When the client
 * requires a call ({@code required} or a named function), decoding is constrained by a grammar built
 * from the tools' parameter schemas, so the arguments always match; with {@code auto}, the model may
 * answer in text, and a call it writes is recognised and checked after the fact.
 */
final class ToolCalls {

  static final String OPEN = "<tool_call>";
  static final String CLOSE = "</tool_call>";

  private final List<Tool> tools;
  private final boolean forced;

  private ToolCalls(List<Tool> tools, boolean forced) {
    this.tools = tools;
    this.forced = forced;
  }

  /** The tools in play for this request, or empty when it has none or asks for none. */
  static Optional<ToolCalls> of(ChatRequest request) {
    ToolChoice choice = request.toolChoice();
    if (request.tools().isEmpty() || choice != null && choice.mode() == ToolChoice.Mode.NONE) {
      return Optional.empty();
    }
    List<Tool> offered = request.tools();
    if (choice != null && choice.mode() == ToolChoice.Mode.FUNCTION) {
      offered = request.tools().stream().filter(tool -> tool.name().equals(choice.function())).toList();
      if (offered.isEmpty()) {
        throw ApiError.invalidRequest("tool_choice names '" + choice.function() + "', which is not in tools",
            "tool_choice").exception();
      }
    }
    boolean forced = choice != null
        && (choice.mode() == ToolChoice.Mode.REQUIRED || choice.mode() == ToolChoice.Mode.FUNCTION);
    return Optional.of(new ToolCalls(offered, forced));
  }

  boolean forced() {
    return forced;
  }

  /** The system text that tells the model which tools exist and how to call one. */
  String plan() {
    JsonArray described = new JsonArray();
    tools.forEach(tool -> described.add(new JsonObject().put("name", tool.name())
        .put("description", tool.description()).put("parameters", parameters(tool))));
    return "You can call these tools: " + described.encode() + "\nTo call one, answer with only "
        + OPEN + "{\"name\": \"<tool name>\", \"arguments\": {<arguments>}}" + CLOSE
        + (forced ? "" : "\nOtherwise answer the user in plain text.");
  }

  /** For a forced call: a grammar that admits only a call of one of the tools, with valid arguments. */
  String grammar(SchemaGrammars grammars) {
    JsonArray choices = new JsonArray();
    tools.forEach(tool -> choices.add(new JsonObject().put("type", "object")
        .put("properties", new JsonObject()
            .put("name", new JsonObject().put("const", tool.name()))
            .put("arguments", parameters(tool)))
        .put("required", new JsonArray().add("name").add("arguments"))
        .put("additionalProperties", false)));
    JsonObject schema = choices.size() == 1 ? choices.getJsonObject(0) : new JsonObject().put("anyOf", choices);
    return grammars.grammar(schema, "tools");
  }

  /**
   * The calls in a finished answer: the whole text for a forced call, else {@code <tool_call>} blocks.
   * Empty when the answer is text; a call naming an unknown tool, or whose arguments do not match the
   * tool's schema (a grammar bounds the text, not every rule of the schema), is not a call.
   */
  List<ToolCall> parse(String text) {
    String trimmed = text.strip();
    if (forced) {
      return call(trimmed).map(List::of).orElse(List.of());
    }
    if (!trimmed.startsWith(OPEN)) {
      return List.of();
    }
    List<ToolCall> calls = new ArrayList<>();
    int from = 0;
    while (true) {
      int open = trimmed.indexOf(OPEN, from);
      if (open < 0) {
        break;
      }
      int close = trimmed.indexOf(CLOSE, open);
      String body = trimmed.substring(open + OPEN.length(), close < 0 ? trimmed.length() : close);
      call(body.strip()).ifPresent(calls::add);
      if (close < 0) {
        break;
      }
      from = close + CLOSE.length();
    }
    return calls;
  }

  /** Whether a streamed answer that starts like this might still become a call, so it must not be shown yet. */
  static boolean mightBeCall(String start) {
    String trimmed = start.stripLeading();
    return trimmed.length() < OPEN.length() ? OPEN.startsWith(trimmed) : trimmed.startsWith(OPEN);
  }

  private Optional<ToolCall> call(String json) {
    try {
      JsonObject call = new JsonObject(json);
      String name = call.getString("name");
      Optional<Tool> tool = tools.stream().filter(offered -> offered.name().equals(name)).findFirst();
      if (tool.isEmpty() || !(call.getValue("arguments") instanceof JsonObject arguments)
          || SchemaGrammars.mismatch(parameters(tool.get()), arguments) != null) {
        return Optional.empty();
      }
      return Optional.of(new ToolCall("call_" + Ids.next(), name, arguments.encode()));
    } catch (DecodeException | ClassCastException e) {
      return Optional.empty();
    }
  }

  private static JsonObject parameters(Tool tool) {
    return tool.parameters() != null ? tool.parameters() : new JsonObject().put("type", "object");
  }

  /** How an assistant's earlier call is written back into the prompt. */
  static String callText(String name, String arguments) {
    return OPEN + new JsonObject().put("name", name).put("arguments", new JsonObject(arguments)).encode() + CLOSE;
  }

  /** How a tool's result is written into the prompt (templates here know no tool role). */
  static String resultText(String callId, String content) {
    return "<tool_response id=\"" + callId + "\">" + content + "</tool_response>";
  }
}
