package io.lmbridge.provider.anthropic;

import io.lmbridge.chat.ApiError;
import io.lmbridge.chat.ChatRequest;
import io.lmbridge.chat.ContentPart;
import io.lmbridge.chat.DataUrl;
import io.lmbridge.chat.Message;
import io.lmbridge.chat.Reasoning;
import io.lmbridge.chat.ResponseFormat;
import io.lmbridge.chat.Sampling;
import io.lmbridge.chat.Tool;
import io.lmbridge.chat.ToolCall;
import io.lmbridge.chat.ToolChoice;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

import static io.lmbridge.chat.SparseJson.putIfSet;

/**
 * Canonical requests as Anthropic Messages API bodies ({@code CreateMessageParams}): system and
 * developer turns go to {@code system}, tool results become {@code tool_result} blocks of a user
 * turn, and a requested JSON output becomes a tool the model is made to call.
 */
final class AnthropicRequests {

  /** Anthropic requires {@code max_tokens}; what every current Claude model can give when the client set none. */
  static final int DEFAULT_MAX_TOKENS = 4096;

  /** Thinking budgets for OpenAI-style efforts; Anthropic's minimum budget is 1024. */
  private static final Map<String, Integer> BUDGET_BY_EFFORT =
      Map.of("minimal", 1024, "low", 2048, "medium", 8192, "high", 16384);

  private static final String JSON_OBJECT_TOOL = "json_response";
  private static final String FORMAT_TOOL_DESCRIPTION =
      "Give your final answer by calling this tool: its input is the answer, as JSON.";

  private AnthropicRequests() {
  }

  static JsonObject write(ChatRequest request) {
    Sampling sampling = request.sampling();
    if (sampling.n() != null && sampling.n() > 1) {
      throw ApiError.invalidRequest("n: Anthropic models give one completion per request", "n").exception();
    }
    JsonArray system = new JsonArray();
    JsonArray messages = new JsonArray();
    for (Message message : request.messages()) {
      switch (message.role()) {
        case SYSTEM, DEVELOPER -> system.addAll(contentBlocks(message.content()));
        case USER -> append(messages, "user", contentBlocks(message.content()));
        case TOOL -> append(messages, "user", new JsonArray().add(toolResult(message)));
        case ASSISTANT -> append(messages, "assistant", assistantBlocks(message));
      }
    }
    JsonObject body = new JsonObject().put("model", request.model()).put("messages", messages);
    if (!system.isEmpty()) {
      body.put("system", system);
    }
    Integer budget = thinkingBudget(request.reasoning());
    body.put("max_tokens", sampling.maxTokens() != null ? sampling.maxTokens()
        // Thinking counts against max_tokens, which must exceed the budget.
        : budget == null ? DEFAULT_MAX_TOKENS : budget + DEFAULT_MAX_TOKENS);
    if (budget != null) {
      body.put("thinking", new JsonObject().put("type", "enabled").put("budget_tokens", budget));
    }
    writeTools(request, budget != null, body);
    if (sampling.temperature() != null) {
      // OpenAI's range is 0 to 2, Anthropic's 0 to 1.
      body.put("temperature", Math.min(1.0, sampling.temperature()));
    }
    putIfSet(body, "top_p", sampling.topP());
    putIfSet(body, "top_k", sampling.topK());
    if (sampling.stop() != null && !sampling.stop().isEmpty()) {
      body.put("stop_sequences", new JsonArray(sampling.stop()));
    }
    if (request.user() != null) {
      body.put("metadata", new JsonObject().put("user_id", request.user()));
    }
    return body.put("stream", request.stream());
  }

  /**
   * The tool that carries a requested JSON output, or null when the client asked for none. The
   * response decoders render its input as the message text.
   */
  static String formatToolName(ChatRequest request) {
    ResponseFormat format = request.responseFormat();
    if (format == null || format.type() == ResponseFormat.Type.TEXT) {
      return null;
    }
    return format.type() == ResponseFormat.Type.JSON_SCHEMA && format.name() != null ? format.name() : JSON_OBJECT_TOOL;
  }

  /** Consecutive turns of one role merge, as Anthropic wants all results of parallel tool calls in one user turn. */
  private static void append(JsonArray messages, String role, JsonArray blocks) {
    if (blocks.isEmpty()) {
      return;
    }
    JsonObject last = messages.isEmpty() ? null : messages.getJsonObject(messages.size() - 1);
    if (last != null && role.equals(last.getString("role"))) {
      last.getJsonArray("content").addAll(blocks);
    } else {
      messages.add(new JsonObject().put("role", role).put("content", blocks));
    }
  }

  private static JsonArray contentBlocks(List<ContentPart> parts) {
    JsonArray blocks = new JsonArray();
    for (ContentPart part : parts) {
      JsonObject block;
      if (part instanceof ContentPart.Text text) {
        if (text.text().isEmpty()) {
          continue; // Anthropic rejects empty text blocks.
        }
        block = new JsonObject().put("type", "text").put("text", text.text());
      } else {
        block = new JsonObject().put("type", "image").put("source", imageSource(((ContentPart.Image) part).url()));
      }
      putIfSet(block, "cache_control", part.cacheControl());
      blocks.add(block);
    }
    return blocks;
  }

  /** Inline bytes for data URLs; Anthropic fetches http(s) URLs itself. */
  private static JsonObject imageSource(String url) {
    return DataUrl.parse(url)
        .map(data -> new JsonObject().put("type", "base64").put("media_type", data.mediaType()).put("data", data.data()))
        .orElseGet(() -> new JsonObject().put("type", "url").put("url", url));
  }

  private static JsonObject toolResult(Message message) {
    JsonObject result = new JsonObject().put("type", "tool_result").put("tool_use_id", message.toolCallId());
    JsonArray content = contentBlocks(message.content());
    if (!content.isEmpty()) {
      result.put("content", content);
    }
    return result;
  }

  /**
   * Thinking first, as Anthropic requires, and only with its signature: reasoning from other
   * providers, or sent back without one, cannot be verified and would be refused.
   */
  private static JsonArray assistantBlocks(Message message) {
    JsonArray blocks = new JsonArray();
    if (message.reasoning() != null && message.reasoningSignature() != null) {
      blocks.add(new JsonObject().put("type", "thinking").put("thinking", message.reasoning())
          .put("signature", message.reasoningSignature()));
    }
    blocks.addAll(contentBlocks(message.content()));
    for (ToolCall call : message.toolCalls()) {
      blocks.add(new JsonObject().put("type", "tool_use").put("id", call.id()).put("name", call.name())
          .put("input", arguments(call)));
    }
    return blocks;
  }

  private static JsonObject arguments(ToolCall call) {
    if (call.arguments() == null || call.arguments().isBlank()) {
      return new JsonObject();
    }
    try {
      return new JsonObject(call.arguments());
    } catch (DecodeException | ClassCastException e) {
      throw ApiError.invalidRequest("messages: the arguments of tool call '" + call.id()
          + "' are not a JSON object, which Anthropic requires", "messages").exception();
    }
  }

  private static Integer thinkingBudget(Reasoning reasoning) {
    if (reasoning == null) {
      return null;
    }
    if (reasoning.budgetTokens() != null) {
      return reasoning.budgetTokens() > 0 ? reasoning.budgetTokens() : null;
    }
    return reasoning.effort() == null ? null : BUDGET_BY_EFFORT.get(reasoning.effort());
  }

  private static void writeTools(ChatRequest request, boolean thinking, JsonObject body) {
    JsonArray tools = new JsonArray();
    for (Tool tool : request.tools()) {
      tools.add(tool(tool.name(), tool.description(), tool.parameters()));
    }
    String formatTool = formatToolName(request);
    if (formatTool != null) {
      ResponseFormat format = request.responseFormat();
      tools.add(tool(formatTool, format.description() != null ? format.description() : FORMAT_TOOL_DESCRIPTION,
          format.schema()));
    }
    if (tools.isEmpty()) {
      return;
    }
    body.put("tools", tools);
    JsonObject choice = toolChoice(request, formatTool, thinking);
    boolean oneCallAtATime = Boolean.FALSE.equals(request.parallelToolCalls());
    if (choice == null && oneCallAtATime) {
      choice = new JsonObject().put("type", "auto");
    }
    if (choice != null) {
      if (oneCallAtATime && !"none".equals(choice.getString("type"))) {
        choice.put("disable_parallel_tool_use", true);
      }
      body.put("tool_choice", choice);
    }
  }

  private static JsonObject tool(String name, String description, JsonObject schema) {
    JsonObject tool = new JsonObject().put("name", name);
    putIfSet(tool, "description", description);
    return tool.put("input_schema", schema != null ? schema : new JsonObject().put("type", "object"));
  }

  /**
   * The client's choice, except that a JSON output must be given through its tool: forced when the
   * client's tools may not be called, any tool when they may. Anthropic allows no forced tool use
   * while thinking, so then the model is only offered the tool.
   */
  private static JsonObject toolChoice(ChatRequest request, String formatTool, boolean thinking) {
    ToolChoice client = request.toolChoice();
    if (formatTool != null && (client == null || client.mode() != ToolChoice.Mode.FUNCTION)) {
      if (thinking) {
        return new JsonObject().put("type", "auto");
      }
      boolean clientToolsAllowed = !request.tools().isEmpty() && (client == null || client.mode() != ToolChoice.Mode.NONE);
      return clientToolsAllowed ? new JsonObject().put("type", "any")
          : new JsonObject().put("type", "tool").put("name", formatTool);
    }
    if (client == null) {
      return null;
    }
    return switch (client.mode()) {
      case AUTO -> new JsonObject().put("type", "auto");
      case NONE -> new JsonObject().put("type", "none");
      case REQUIRED -> new JsonObject().put("type", "any");
      case FUNCTION -> new JsonObject().put("type", "tool").put("name", client.function());
    };
  }
}
