package io.lmbridge.chat.openai;

import io.lmbridge.chat.ApiError;
import io.lmbridge.chat.ChatEvent;
import io.lmbridge.chat.FinishReason;
import io.lmbridge.chat.TokenLogprob;
import io.lmbridge.chat.Usage;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** OpenAI {@code chat.completion.chunk} streams: read from upstreams, written for clients. */
public final class ChatCompletionsChunks {

  private ChatCompletionsChunks() {
  }

  /** The canonical events one upstream chunk carries. */
  public static List<ChatEvent> parse(JsonObject chunk, String provider) {
    List<ChatEvent> events = new ArrayList<>();
    if (chunk.getValue("error") instanceof JsonObject error) {
      String message = error.getString("message", "stream failed");
      events.add(new ChatEvent.Failure(new ApiError(502, error.getString("type", "server_error"),
          provider + ": " + message, null, stringOf(error.getValue("code")), null)));
      return events;
    }
    JsonArray choices = chunk.getJsonArray("choices", new JsonArray());
    for (int i = 0; i < choices.size(); i++) {
      JsonObject choice = choices.getJsonObject(i);
      int index = choice.getInteger("index", i);
      JsonObject delta = choice.getJsonObject("delta", new JsonObject());
      String reasoning = OpenAiJson.reasoning(delta);
      String signature = delta.getString(OpenAiJson.REASONING_SIGNATURE);
      if (reasoning != null && !reasoning.isEmpty() || signature != null) {
        events.add(new ChatEvent.ReasoningDelta(index, reasoning == null || reasoning.isEmpty() ? null : reasoning,
            signature));
      }
      String content = delta.getString("content");
      List<TokenLogprob> logprobs = OpenAiJson.logprobs(choice);
      if (content != null && !content.isEmpty() || logprobs != null && !logprobs.isEmpty()) {
        events.add(new ChatEvent.TextDelta(index, content == null ? "" : content, logprobs));
      }
      JsonArray toolCalls = delta.getJsonArray("tool_calls");
      if (toolCalls != null) {
        for (int t = 0; t < toolCalls.size(); t++) {
          JsonObject call = toolCalls.getJsonObject(t);
          JsonObject function = call.getJsonObject("function", new JsonObject());
          events.add(new ChatEvent.ToolCallDelta(index, call.getInteger("index", t), call.getString("id"),
              function.getString("name"), function.getString("arguments")));
        }
      }
      FinishReason finish = OpenAiJson.finishReason(choice.getString("finish_reason"));
      if (finish != null) {
        events.add(new ChatEvent.Finish(index, finish));
      }
    }
    if (chunk.getValue("usage") instanceof JsonObject usage) {
      events.add(new ChatEvent.UsageReport(OpenAiJson.usage(usage)));
    }
    return events;
  }

  private static String stringOf(Object value) {
    return value == null ? null : value.toString();
  }

  /**
   * Writes canonical events as the encoded chunks an OpenAI client expects, in OpenAI's order. Text
   * deltas, nearly every chunk of a stream, are written from a template made once per stream, so
   * only the text itself is encoded per chunk.
   */
  public static final class Renderer {

    private final String id;
    private final String model;
    private final long created;
    private final boolean includeUsage;
    private final Set<Integer> started = new HashSet<>();
    private final String textChunkHead;
    private final String textChunkTail;
    private Usage usage;

    /** @param includeUsage the client's {@code stream_options.include_usage} */
    public Renderer(String id, String model, long created, boolean includeUsage) {
      this.id = id;
      this.model = model;
      this.created = created;
      this.includeUsage = includeUsage;
      this.textChunkHead = "{\"id\":" + Json.encode(id) + ",\"object\":\"chat.completion.chunk\",\"created\":" + created
          + ",\"model\":" + Json.encode(model) + ",\"choices\":[{\"index\":";
      this.textChunkTail = "},\"logprobs\":null,\"finish_reason\":null}]" + (includeUsage ? ",\"usage\":null}" : "}");
    }

    public List<String> render(List<ChatEvent> events) {
      List<String> chunks = new ArrayList<>();
      for (ChatEvent event : events) {
        if (event instanceof ChatEvent.TextDelta text && text.logprobs() != null) {
          chunks.add(choice(text.choice(), new JsonObject().put("content", text.text()), null,
              OpenAiJson.logprobs(text.logprobs()), chunks));
        } else if (event instanceof ChatEvent.TextDelta text) {
          startChoice(text.choice(), chunks);
          chunks.add(textChunkHead + text.choice() + ",\"delta\":{\"content\":" + Json.encode(text.text())
              + textChunkTail);
        } else if (event instanceof ChatEvent.ReasoningDelta reasoning) {
          JsonObject delta = new JsonObject();
          if (reasoning.text() != null) {
            delta.put("reasoning_content", reasoning.text());
          }
          if (reasoning.signature() != null) {
            delta.put(OpenAiJson.REASONING_SIGNATURE, reasoning.signature());
          }
          chunks.add(choice(reasoning.choice(), delta, null, null, chunks));
        } else if (event instanceof ChatEvent.ToolCallDelta call) {
          JsonObject function = new JsonObject();
          if (call.name() != null) {
            function.put("name", call.name());
          }
          function.put("arguments", call.arguments() == null ? "" : call.arguments());
          JsonObject toolCall = new JsonObject().put("index", call.index());
          if (call.id() != null) {
            toolCall.put("id", call.id()).put("type", "function");
          }
          toolCall.put("function", function);
          chunks.add(choice(call.choice(), new JsonObject().put("tool_calls", new JsonArray().add(toolCall)), null,
              null, chunks));
        } else if (event instanceof ChatEvent.Finish finish) {
          chunks.add(choice(finish.choice(), new JsonObject(), finish.reason().wireName(), null, chunks));
        } else if (event instanceof ChatEvent.UsageReport report) {
          usage = report.usage();
        }
      }
      return chunks;
    }

    /** The usage chunk OpenAI sends last, when the client asked for it. */
    public List<String> finish() {
      if (!includeUsage || usage == null) {
        return List.of();
      }
      return List.of(envelope(new JsonArray()).put("usage", OpenAiJson.usage(usage)).encode());
    }

    private String choice(int index, JsonObject delta, String finishReason, JsonObject logprobs, List<String> out) {
      startChoice(index, out);
      return envelope(new JsonArray().add(new JsonObject()
          .put("index", index)
          .put("delta", delta)
          .put("logprobs", logprobs)
          .put("finish_reason", finishReason))).encode();
    }

    /** The first chunk of each choice announces the assistant role, as OpenAI does. */
    private void startChoice(int index, List<String> out) {
      if (started.add(index)) {
        out.add(envelope(new JsonArray().add(new JsonObject()
            .put("index", index)
            .put("delta", new JsonObject().put("role", "assistant").put("content", ""))
            .put("logprobs", null)
            .put("finish_reason", null))).encode());
      }
    }

    private JsonObject envelope(JsonArray choices) {
      JsonObject chunk = new JsonObject()
          .put("id", id)
          .put("object", "chat.completion.chunk")
          .put("created", created)
          .put("model", model)
          .put("choices", choices);
      if (includeUsage) {
        chunk.put("usage", null);
      }
      return chunk;
    }
  }
}
