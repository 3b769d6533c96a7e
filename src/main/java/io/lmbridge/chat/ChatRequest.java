package io.lmbridge.chat;

import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

/**
 * The one representation of a chat request inside the gateway. Client dialects parse into it,
 * provider adapters translate it to their wire format.
 *
 * @param model           the provider's own model name (the router strips the {@code provider:} prefix)
 * @param passthrough     top-level fields no dialect knows, forwarded only to OpenAI-compatible upstreams
 *                        so new OpenAI parameters work before the gateway learns them
 */
public record ChatRequest(
    String model,
    List<Message> messages,
    List<Tool> tools,
    ToolChoice toolChoice,
    Boolean parallelToolCalls,
    ResponseFormat responseFormat,
    Sampling sampling,
    Reasoning reasoning,
    boolean stream,
    Map<String, String> metadata,
    String user,
    JsonObject passthrough) {

  public ChatRequest {
    messages = List.copyOf(messages);
    tools = tools == null ? List.of() : List.copyOf(tools);
    sampling = sampling == null ? Sampling.NONE : sampling;
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  public ChatRequest withModel(String upstreamModel) {
    return new ChatRequest(upstreamModel, messages, tools, toolChoice, parallelToolCalls, responseFormat,
        sampling, reasoning, stream, metadata, user, passthrough);
  }

  public ChatRequest withMessages(List<Message> newMessages) {
    return new ChatRequest(model, newMessages, tools, toolChoice, parallelToolCalls, responseFormat,
        sampling, reasoning, stream, metadata, user, passthrough);
  }

  /** @param newChoice null for the provider's default */
  public ChatRequest withTools(List<Tool> newTools, ToolChoice newChoice) {
    return new ChatRequest(model, messages, newTools, newChoice, parallelToolCalls, responseFormat,
        sampling, reasoning, stream, metadata, user, passthrough);
  }

  /** @param format null for free text */
  public ChatRequest withResponseFormat(ResponseFormat format) {
    return new ChatRequest(model, messages, tools, toolChoice, parallelToolCalls, format,
        sampling, reasoning, stream, metadata, user, passthrough);
  }

  public ChatRequest withStream(boolean streamed) {
    return new ChatRequest(model, messages, tools, toolChoice, parallelToolCalls, responseFormat,
        sampling, reasoning, streamed, metadata, user, passthrough);
  }
}
