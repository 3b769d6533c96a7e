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
 * Tools the gateway itself describes to a local model and reads back, for templates that do not
 * render tools (and for {@code llama.structured_plan} other than {@code auto}). When the client
 * requires a call ({@code required} or a named function), decoding is constrained by a grammar
 * built from {@link #callSchema}, so the arguments always match. With {@code auto}, the model may
 * answer in text, and a call it writes is recognised in its {@link ToolSyntax} and checked after the
 * fact. {@link #plan} tells the model about the tools, to answer a call as
 * {@code <tool_call>{"name": ..., "arguments": {...}}</tool_call>}.
 */
public final class PromptedTools {

  static final String OPEN = "<tool_call>";
  static final String CLOSE = "</tool_call>";

  private final List<Tool> tools;
  private final boolean forced;
  private final ToolSyntax syntax;

  private PromptedTools(List<Tool> tools, boolean forced, ToolSyntax syntax) {
    this.tools = tools;
    this.forced = forced;
    this.syntax = syntax;
  }

  /**
   * The tools in play for this request, or empty when it has none or asks for none.
   *
   * @param syntax how the model writes a call it was not forced into
   */
  static Optional<PromptedTools> of(ChatRequest request, ToolSyntax syntax) {
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
    return Optional.of(new PromptedTools(offered, forced, syntax));
  }

  boolean forced() {
    return forced;
  }

  /** The tools the model may call: all of the request's, or the one it names. */
  List<Tool> offered() {
    return tools;
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

  /** For a forced call: the schema of a call of one of the tools with valid arguments, to make a grammar of. */
  JsonObject callSchema() {
    JsonArray choices = new JsonArray();
    tools.forEach(tool -> choices.add(new JsonObject().put("type", "object")
        .put("properties", new JsonObject()
            .put("name", new JsonObject().put("const", tool.name()))
            .put("arguments", parameters(tool)))
        .put("required", new JsonArray().add("name").add("arguments"))
        .put("additionalProperties", false)));
    return choices.size() == 1 ? choices.getJsonObject(0) : new JsonObject().put("anyOf", choices);
  }

  /**
   * The calls in a finished answer: the whole text for a forced call, else the calls it opens with.
   * Empty when the answer is text; a call naming an unknown tool, or whose arguments do not match the
   * tool's schema (a grammar bounds the text, not every rule of the schema), is not a call.
   */
  List<ToolCall> parse(String text) {
    if (forced) {
      try {
        JsonObject call = new JsonObject(text.strip());
        return call(call.getValue("name"), call.getValue("arguments")).map(List::of).orElse(List.of());
      } catch (DecodeException | ClassCastException notAnObject) {
        return List.of();
      }
    }
    List<ToolCall> calls = new ArrayList<>();
    for (JsonObject written : syntax.calls(text)) {
      call(written.getValue("name"), written.getValue("arguments")).ifPresent(calls::add);
    }
    return calls;
  }

  /** Whether a streamed answer that starts like this might still become a call, so it must not be shown yet. */
  boolean mightBeCall(String start) {
    return syntax.mightBeCall(start);
  }

  private Optional<ToolCall> call(Object name, Object arguments) {
    if (arguments instanceof String written) {
      try {
        arguments = new JsonObject(written);
      } catch (DecodeException | ClassCastException notAnObject) {
        return Optional.empty();
      }
    }
    Optional<Tool> tool = tools.stream().filter(offered -> offered.name().equals(name)).findFirst();
    if (tool.isEmpty() || !(arguments instanceof JsonObject object)
        || SchemaCheck.mismatch(parameters(tool.get()), object) != null) {
      return Optional.empty();
    }
    return Optional.of(new ToolCall("call_" + Ids.next(), tool.get().name(), object.encode()));
  }

  public static JsonObject parameters(Tool tool) {
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
