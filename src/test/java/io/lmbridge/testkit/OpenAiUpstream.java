package io.lmbridge.testkit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * A real HTTP server on 127.0.0.1 that speaks OpenAI's documented Chat Completions wire format:
 * bearer auth, {@code chat.completion} bodies, {@code chat.completion.chunk} SSE framed with CRLF
 * and split across TCP writes, the usage chunk, {@code [DONE]}, and OpenAI error bodies. What it
 * answers is set per test with {@link #reply}; what it received is kept for assertions.
 */
public final class OpenAiUpstream extends ScriptedUpstream<OpenAiUpstream.Reply> {

  private final String apiKey;

  private OpenAiUpstream(Vertx vertx, String apiKey) {
    super(vertx, Reply.text("Hello from the upstream"));
    this.apiKey = apiKey;
  }

  public static Future<OpenAiUpstream> start(Vertx vertx, String apiKey) {
    OpenAiUpstream upstream = new OpenAiUpstream(vertx, apiKey);
    return upstream.listen().map(upstream);
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port() + "/v1";
  }

  @Override
  protected void handle(HttpServerRequest request, JsonObject json) {
    HttpServerResponse response = request.response();
    if (!request.path().equals("/v1/chat/completions")) {
      error(response, 404, "invalid_request_error", "Invalid URL (" + request.method() + " " + request.path() + ")",
          null);
      return;
    }
    record(request, json);
    if (!("Bearer " + apiKey).equals(request.getHeader("Authorization"))) {
      error(response, 401, "invalid_request_error", "Incorrect API key provided", null);
      return;
    }
    Reply current = nextReply();
    if (current.status != 200) {
      error(response, current.status, current.errorType, current.text, current.retryAfter);
    } else if (Boolean.TRUE.equals(json.getBoolean("stream"))) {
      stream(json, response, current);
    } else {
      vertx.setTimer(Math.max(1, current.delayMillis), t -> response
          .putHeader("Content-Type", "application/json")
          .end(completion(json, current).toBuffer()));
    }
  }

  private static void error(HttpServerResponse response, int status, String type, String message, String retryAfter) {
    if (retryAfter != null) {
      response.putHeader("Retry-After", retryAfter);
    }
    response.setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("error", new JsonObject()
            .put("message", message).put("type", type).put("param", null).put("code", null)).toBuffer());
  }

  private JsonObject completion(JsonObject request, Reply reply) {
    JsonObject message = new JsonObject().put("role", "assistant");
    String finish = "stop";
    if (reply.toolName != null) {
      message.put("content", null).put("tool_calls", new JsonArray().add(new JsonObject()
          .put("id", "call_1").put("type", "function")
          .put("function", new JsonObject().put("name", reply.toolName).put("arguments", reply.toolArguments))));
      finish = "tool_calls";
    } else {
      message.put("content", reply.text);
    }
    if (reply.reasoning != null) {
      message.put("reasoning_content", reply.reasoning);
    }
    JsonArray choices = new JsonArray();
    for (int i = 0; i < request.getInteger("n", 1); i++) {
      choices.add(new JsonObject().put("index", i).put("message", message.copy()).put("logprobs", null)
          .put("finish_reason", finish));
    }
    return new JsonObject()
        .put("id", "chatcmpl-upstream")
        .put("object", "chat.completion")
        .put("created", 1700000000)
        .put("model", request.getString("model"))
        .put("choices", choices)
        .put("usage", usage(reply));
  }

  /** Reasoning models count their reasoning among the completion tokens, as xAI and OpenAI do. */
  private static JsonObject usage(Reply reply) {
    return new JsonObject().put("prompt_tokens", 11).put("completion_tokens", 7).put("total_tokens", 18)
        .put("prompt_tokens_details", new JsonObject().put("cached_tokens", 3))
        .put("completion_tokens_details", new JsonObject()
            .put("reasoning_tokens", reply.reasoning == null ? 0 : Reply.REASONING_TOKENS));
  }

  /** Chunks as OpenAI sends them; every event is written in two TCP writes, split mid-line. */
  private void stream(JsonObject request, HttpServerResponse response, Reply reply) {
    List<JsonObject> chunks = new ArrayList<>();
    String model = request.getString("model");
    chunks.add(chunk(model, new JsonObject().put("role", "assistant").put("content", ""), null));
    if (reply.reasoning != null) {
      chunks.add(chunk(model, new JsonObject().put("reasoning_content", reply.reasoning), null));
    }
    if (reply.toolName != null) {
      String args = reply.toolArguments;
      int half = args.length() / 2;
      chunks.add(chunk(model, new JsonObject().put("tool_calls", new JsonArray().add(new JsonObject()
          .put("index", 0).put("id", "call_1").put("type", "function")
          .put("function", new JsonObject().put("name", reply.toolName).put("arguments", args.substring(0, half))))),
          null));
      chunks.add(chunk(model, new JsonObject().put("tool_calls", new JsonArray().add(new JsonObject()
          .put("index", 0).put("function", new JsonObject().put("arguments", args.substring(half))))), null));
      chunks.add(chunk(model, new JsonObject(), "tool_calls"));
    } else {
      for (String piece : reply.pieces()) {
        chunks.add(chunk(model, new JsonObject().put("content", piece), null));
      }
      chunks.add(chunk(model, new JsonObject(), "stop"));
    }
    List<String> events = new ArrayList<>();
    chunks.forEach(chunk -> events.add("data: " + chunk.encode() + "\r\n\r\n"));
    if (reply.failMidStream) {
      events.add("data: " + new JsonObject().put("error", new JsonObject()
          .put("message", "The server had an error while processing your request").put("type", "server_error"))
          .encode() + "\r\n\r\n");
    } else {
      JsonObject usageChunk = new JsonObject().put("id", "chatcmpl-upstream").put("object", "chat.completion.chunk")
          .put("created", 1700000000).put("model", model).put("choices", new JsonArray()).put("usage", usage(reply));
      events.add("data: " + usageChunk.encode() + "\r\n\r\n");
      events.add("data: [DONE]\r\n\r\n");
    }
    streamFrames(response, "text/event-stream", events, reply.delayMillis, false);
  }

  private static JsonObject chunk(String model, JsonObject delta, String finishReason) {
    return new JsonObject()
        .put("id", "chatcmpl-upstream")
        .put("object", "chat.completion.chunk")
        .put("created", 1700000000)
        .put("model", model)
        .put("choices", new JsonArray().add(new JsonObject()
            .put("index", 0).put("delta", delta).put("logprobs", null).put("finish_reason", finishReason)));
  }

  /** What the upstream answers next. */
  public static final class Reply {
    public static final int REASONING_TOKENS = 4;

    final int status;
    final String text;
    final String errorType;
    final String retryAfter;
    String toolName;
    String toolArguments;
    String reasoning;
    long delayMillis;
    boolean failMidStream;

    private Reply(int status, String text, String errorType, String retryAfter) {
      this.status = status;
      this.text = text;
      this.errorType = errorType;
      this.retryAfter = retryAfter;
    }

    public static Reply text(String text) {
      return new Reply(200, text, null, null);
    }

    public static Reply toolCall(String name, String arguments) {
      Reply reply = new Reply(200, null, null, null);
      reply.toolName = name;
      reply.toolArguments = arguments;
      return reply;
    }

    public static Reply error(int status, String type, String message, String retryAfter) {
      return new Reply(status, message, type, retryAfter);
    }

    public Reply withReasoning(String reasoning) {
      this.reasoning = reasoning;
      return this;
    }

    /** Waits this long before answering, and between stream events. */
    public Reply delayed(long millis) {
      this.delayMillis = millis;
      return this;
    }

    public Reply failingMidStream() {
      this.failMidStream = true;
      return this;
    }

    /** The text cut into word-sized stream deltas. */
    List<String> pieces() {
      return words(text);
    }
  }
}
