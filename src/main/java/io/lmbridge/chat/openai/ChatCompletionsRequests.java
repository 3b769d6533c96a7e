package io.lmbridge.chat.openai;

import io.lmbridge.chat.ChatRequest;
import io.lmbridge.chat.ContentPart;
import io.lmbridge.chat.JsonFields;
import io.lmbridge.chat.Message;
import io.lmbridge.chat.Reasoning;
import io.lmbridge.chat.ResponseFormat;
import io.lmbridge.chat.Role;
import io.lmbridge.chat.Sampling;
import io.lmbridge.chat.Tool;
import io.lmbridge.chat.ToolCall;
import io.lmbridge.chat.ToolChoice;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

import static io.lmbridge.chat.SparseJson.putIfSet;

/** OpenAI Chat Completions request bodies: parsed strictly from clients, written for upstreams. */
public final class ChatCompletionsRequests {

  /** Fields this class reads; any other top-level field is passed through to OpenAI-compatible upstreams. */
  private static final Set<String> KNOWN = Set.of("model", "messages", "tools", "tool_choice", "parallel_tool_calls",
      "response_format", "temperature", "top_p", "top_k", "max_tokens", "max_completion_tokens", "stop", "seed",
      "presence_penalty", "frequency_penalty", "n", "logprobs", "top_logprobs", "reasoning_effort", "reasoning",
      "thinking", "stream", "stream_options", "metadata", "user", "cache", "functions", "function_call");

  private static final Function<JsonFields, JsonFields> FUNCTION = OpenAiRequestFields.nestedUnder("function");
  private static final Function<JsonFields, JsonFields> JSON_SCHEMA = OpenAiRequestFields.nestedUnder("json_schema");

  private ChatCompletionsRequests() {
  }

  /** Parses a client's body; throws a 400 {@code ApiException} naming the bad field. */
  public static ChatRequest parse(JsonObject body) {
    JsonFields fields = JsonFields.of(body);
    String model = fields.requiredString("model");
    JsonArray rawMessages = fields.array("messages");
    if (rawMessages == null || rawMessages.isEmpty()) {
      throw JsonFields.invalid("messages", "required, a non-empty array of messages");
    }
    if (fields.has("functions") || fields.has("function_call")) {
      throw JsonFields.invalid("functions", "the deprecated functions API is not supported: use tools and tool_choice");
    }
    List<Message> messages = new ArrayList<>();
    for (JsonFields message : fields.objects("messages")) {
      messages.add(message(message));
    }
    return new ChatRequest(
        model,
        messages,
        OpenAiRequestFields.tools(fields, FUNCTION),
        OpenAiRequestFields.toolChoice(fields, FUNCTION),
        fields.bool("parallel_tool_calls"),
        OpenAiRequestFields.responseFormat(fields.child("response_format"), JSON_SCHEMA),
        sampling(fields),
        reasoning(fields),
        Boolean.TRUE.equals(fields.bool("stream")),
        fields.stringMap("metadata"),
        fields.string("user"),
        passthrough(body));
  }

  /**
   * The body for an OpenAI-compatible upstream.
   *
   * @param maxTokensField {@code max_completion_tokens} or {@code max_tokens}, whichever the upstream takes
   */
  public static JsonObject write(ChatRequest request, String maxTokensField) {
    JsonObject body = request.passthrough() == null ? new JsonObject() : request.passthrough().copy();
    body.put("model", request.model());
    JsonArray messages = new JsonArray();
    request.messages().forEach(message -> messages.add(write(message)));
    body.put("messages", messages);
    if (!request.tools().isEmpty()) {
      JsonArray tools = new JsonArray();
      for (Tool tool : request.tools()) {
        JsonObject function = new JsonObject().put("name", tool.name());
        putIfSet(function, "description", tool.description());
        putIfSet(function, "parameters", tool.parameters());
        putIfSet(function, "strict", tool.strict());
        tools.add(new JsonObject().put("type", "function").put("function", function));
      }
      body.put("tools", tools);
    }
    if (request.toolChoice() != null) {
      ToolChoice choice = request.toolChoice();
      body.put("tool_choice", choice.mode() == ToolChoice.Mode.FUNCTION
          ? new JsonObject().put("type", "function").put("function", new JsonObject().put("name", choice.function()))
          : choice.mode().name().toLowerCase(Locale.ROOT));
    }
    putIfSet(body, "parallel_tool_calls", request.parallelToolCalls());
    if (request.responseFormat() != null) {
      body.put("response_format", write(request.responseFormat()));
    }
    Sampling sampling = request.sampling();
    putIfSet(body, "temperature", sampling.temperature());
    putIfSet(body, "top_p", sampling.topP());
    putIfSet(body, "top_k", sampling.topK());
    putIfSet(body, maxTokensField, sampling.maxTokens());
    if (sampling.stop() != null) {
      body.put("stop", new JsonArray(sampling.stop()));
    }
    putIfSet(body, "seed", sampling.seed());
    putIfSet(body, "presence_penalty", sampling.presencePenalty());
    putIfSet(body, "frequency_penalty", sampling.frequencyPenalty());
    putIfSet(body, "n", sampling.n());
    if (sampling.topLogprobs() != null) {
      body.put("logprobs", true).put("top_logprobs", sampling.topLogprobs());
    }
    if (request.reasoning() != null) {
      putIfSet(body, "reasoning_effort", request.reasoning().effort());
    }
    if (!request.metadata().isEmpty()) {
      body.put("metadata", new JsonObject(new java.util.LinkedHashMap<>(request.metadata())));
    }
    putIfSet(body, "user", request.user());
    body.put("stream", request.stream());
    if (request.stream()) {
      // Usage is always asked for: the gateway reports it whether or not the client wants it.
      body.put("stream_options", new JsonObject().put("include_usage", true));
    }
    return body;
  }

  private static Message message(JsonFields fields) {
    String roleName = fields.requiredString("role");
    Role role = switch (roleName) {
      case "system" -> Role.SYSTEM;
      case "developer" -> Role.DEVELOPER;
      case "user" -> Role.USER;
      case "assistant" -> Role.ASSISTANT;
      case "tool" -> Role.TOOL;
      default -> throw JsonFields.invalid(fields.param("role"),
          "unknown role '" + roleName + "'; expected system, developer, user, assistant or tool");
    };
    List<ContentPart> content = content(fields, role);
    List<ToolCall> toolCalls = List.of();
    if (role == Role.ASSISTANT && fields.has("tool_calls")) {
      toolCalls = new ArrayList<>();
      for (JsonFields call : fields.objects("tool_calls")) {
        JsonFields function = call.child("function");
        if (function == null) {
          throw JsonFields.invalid(call.param("function"), "required");
        }
        toolCalls.add(new ToolCall(call.requiredString("id"), function.requiredString("name"),
            function.string("arguments") == null ? "" : function.string("arguments")));
      }
    }
    String toolCallId = null;
    if (role == Role.TOOL) {
      toolCallId = fields.requiredString("tool_call_id");
    }
    if (content.isEmpty() && toolCalls.isEmpty() && role != Role.ASSISTANT) {
      throw JsonFields.invalid(fields.param("content"), "required for a " + roleName + " message");
    }
    return new Message(role, content, fields.string("name"), toolCalls, toolCallId,
        OpenAiJson.reasoning(fields.json()), fields.string(OpenAiJson.REASONING_SIGNATURE));
  }

  private static List<ContentPart> content(JsonFields fields, Role role) {
    Object content = fields.json().getValue("content");
    if (content == null) {
      return List.of();
    }
    if (content instanceof String text) {
      // Caching clients mark a plain-text message as a whole; the mark belongs to its one part.
      return List.of(new ContentPart.Text(text, fields.object("cache_control")));
    }
    if (!(content instanceof JsonArray)) {
      throw JsonFields.invalid(fields.param("content"), "expected a string or an array of content parts");
    }
    List<ContentPart> parts = new ArrayList<>();
    for (JsonFields part : fields.objects("content")) {
      String type = part.requiredString("type");
      switch (type) {
        case "text" -> parts.add(new ContentPart.Text(part.requiredString("text"), part.object("cache_control")));
        case "image_url" -> {
          if (role != Role.USER) {
            throw JsonFields.invalid(part.param("type"), "images are only allowed in user messages");
          }
          parts.add(image(part));
        }
        case "refusal" -> parts.add(new ContentPart.Text(part.requiredString("refusal")));
        default -> throw JsonFields.invalid(part.param("type"),
            "unsupported content part '" + type + "'; supported: text, image_url");
      }
    }
    return parts;
  }

  private static ContentPart.Image image(JsonFields part) {
    Object imageUrl = part.json().getValue("image_url");
    if (imageUrl instanceof String url) {
      return new ContentPart.Image(url, null, part.object("cache_control"));
    }
    JsonFields image = part.child("image_url");
    if (image == null) {
      throw JsonFields.invalid(part.param("image_url"), "required");
    }
    String url = image.requiredString("url");
    if (!url.startsWith("http://") && !url.startsWith("https://") && !url.startsWith("data:")) {
      throw JsonFields.invalid(image.param("url"), "expected an http(s) URL or a data: URL");
    }
    return new ContentPart.Image(url, image.string("detail"), part.object("cache_control"));
  }

  private static Sampling sampling(JsonFields fields) {
    Integer maxTokens = fields.smallInteger("max_completion_tokens", 1);
    if (maxTokens == null) {
      maxTokens = fields.smallInteger("max_tokens", 1);
    }
    return new Sampling(
        fields.number("temperature", 0, 2),
        fields.number("top_p", 0, 1),
        fields.smallInteger("top_k", 0),
        maxTokens,
        fields.stringOrStrings("stop"),
        fields.integer("seed", Long.MIN_VALUE),
        fields.number("presence_penalty", -2, 2),
        fields.number("frequency_penalty", -2, 2),
        fields.smallInteger("n", 1),
        topLogprobs(fields));
  }

  /** OpenAI's pair: {@code logprobs: true} asks for them, {@code top_logprobs} for alternatives (0 by default). */
  private static Integer topLogprobs(JsonFields fields) {
    Integer top = OpenAiRequestFields.topLogprobs(fields);
    if (!Boolean.TRUE.equals(fields.bool("logprobs"))) {
      if (top != null) {
        throw JsonFields.invalid("top_logprobs", "requires logprobs to be true");
      }
      return null;
    }
    return top == null ? 0 : top;
  }

  /** {@code reasoning_effort}, OpenRouter's {@code reasoning: {effort}}, or Anthropic's {@code thinking} budget. */
  private static Reasoning reasoning(JsonFields fields) {
    String effort = fields.string("reasoning_effort");
    JsonFields nested = fields.child("reasoning");
    if (effort == null && nested != null) {
      effort = nested.string("effort");
    }
    JsonFields thinking = fields.child("thinking");
    Integer budget = thinking == null ? null : thinking.smallInteger("budget_tokens", 0);
    return effort == null && budget == null ? null : new Reasoning(effort, budget);
  }

  private static JsonObject passthrough(JsonObject body) {
    JsonObject extra = new JsonObject();
    body.forEach(entry -> {
      if (!KNOWN.contains(entry.getKey())) {
        extra.put(entry.getKey(), entry.getValue());
      }
    });
    return extra.isEmpty() ? null : extra;
  }

  private static JsonObject write(Message message) {
    JsonObject json = new JsonObject().put("role", message.role().wireName());
    if (message.isTextOnly() && message.content().stream().allMatch(part -> part.cacheControl() == null)) {
      json.put("content", message.content().isEmpty() && !message.toolCalls().isEmpty() ? null : message.text());
    } else {
      JsonArray parts = new JsonArray();
      for (ContentPart part : message.content()) {
        JsonObject written;
        if (part instanceof ContentPart.Text text) {
          written = new JsonObject().put("type", "text").put("text", text.text());
        } else {
          ContentPart.Image image = (ContentPart.Image) part;
          JsonObject url = new JsonObject().put("url", image.url());
          putIfSet(url, "detail", image.detail());
          written = new JsonObject().put("type", "image_url").put("image_url", url);
        }
        putIfSet(written, "cache_control", part.cacheControl());
        parts.add(written);
      }
      json.put("content", parts);
    }
    putIfSet(json, "name", message.name());
    if (!message.toolCalls().isEmpty()) {
      json.put("tool_calls", OpenAiJson.toolCalls(message.toolCalls()));
    }
    putIfSet(json, "tool_call_id", message.toolCallId());
    return json;
  }

  private static JsonObject write(ResponseFormat format) {
    JsonObject json = new JsonObject().put("type", format.type().name().toLowerCase(Locale.ROOT));
    if (format.type() == ResponseFormat.Type.JSON_SCHEMA) {
      JsonObject schema = new JsonObject().put("name", format.name());
      putIfSet(schema, "description", format.description());
      putIfSet(schema, "schema", format.schema());
      putIfSet(schema, "strict", format.strict());
      json.put("json_schema", schema);
    }
    return json;
  }
}
