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
 * A real HTTP server on 127.0.0.1 that speaks Anthropic's documented Messages API: checks
 * {@code x-api-key} and {@code anthropic-version}, validates every body against
 * {@code CreateMessageParams} (the schema cut from Anthropic's OpenAPI spec), and answers with
 * {@code Message} bodies or SSE streams framed with CRLF, every event split across two TCP writes,
 * with pings and fragmented tool input.
 */
public final class AnthropicUpstream extends ScriptedUpstream<AnthropicUpstream.Reply> {

  public static final String VERSION = "2023-06-01";

  private final String apiKey;

  private AnthropicUpstream(Vertx vertx, String apiKey) {
    super(vertx, Reply.text("Hello from Claude"), "/specs/anthropic-create-message.schema.json");
    this.apiKey = apiKey;
  }

  public static Future<AnthropicUpstream> start(Vertx vertx, String apiKey) {
    AnthropicUpstream upstream = new AnthropicUpstream(vertx, apiKey);
    return upstream.listen().map(upstream);
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port() + "/v1";
  }

  @Override
  protected void handle(HttpServerRequest request, JsonObject json) {
    HttpServerResponse response = request.response();
    if (!request.path().equals("/v1/messages")) {
      error(response, 404, "not_found_error", "Not found: " + request.path(), null);
      return;
    }
    record(request, json);
    if (!meetsSpec(json)) {
      error(response, 400, "invalid_request_error", "request does not match CreateMessageParams", null);
      return;
    }
    if (!apiKey.equals(request.getHeader("x-api-key"))) {
      error(response, 401, "authentication_error", "invalid x-api-key", null);
      return;
    }
    if (!VERSION.equals(request.getHeader("anthropic-version"))) {
      error(response, 400, "invalid_request_error", "anthropic-version: header is required", null);
      return;
    }
    Reply current = nextReply();
    if (current.status != 200) {
      error(response, current.status, current.errorType, current.text, current.retryAfter);
    } else if (Boolean.TRUE.equals(json.getBoolean("stream"))) {
      stream(response, json, current);
    } else {
      response.putHeader("Content-Type", "application/json").end(message(json, current).toBuffer());
    }
  }

  private static void error(HttpServerResponse response, int status, String type, String message, String retryAfter) {
    if (retryAfter != null) {
      response.putHeader("retry-after", retryAfter);
    }
    response.setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(errorBody(type, message).put("request_id", "req_test").toBuffer());
  }

  private static JsonObject errorBody(String type, String message) {
    return new JsonObject().put("type", "error")
        .put("error", new JsonObject().put("type", type).put("message", message));
  }

  private JsonObject message(JsonObject request, Reply reply) {
    return new JsonObject()
        .put("id", "msg_upstream")
        .put("type", "message")
        .put("role", "assistant")
        .put("content", new JsonArray(reply.blocks()))
        .put("model", request.getString("model"))
        .put("stop_reason", reply.stopReason())
        .put("stop_sequence", null)
        .put("usage", usage(request).put("output_tokens", Reply.OUTPUT_TOKENS));
  }

  /** Input counts as Anthropic gives them: without the cached tokens, which a cache mark on the system prompt reads. */
  private static JsonObject usage(JsonObject request) {
    boolean cached = request.getValue("system") instanceof JsonArray system && system.stream()
        .anyMatch(block -> ((JsonObject) block).containsKey("cache_control"));
    return new JsonObject().put("input_tokens", Reply.INPUT_TOKENS)
        .put("cache_creation_input_tokens", 0)
        .put("cache_read_input_tokens", cached ? Reply.CACHED_TOKENS : 0);
  }

  private void stream(HttpServerResponse response, JsonObject body, Reply reply) {
    List<JsonObject> events = new ArrayList<>();
    events.add(new JsonObject().put("type", "message_start").put("message", message(body, reply)
        .put("content", new JsonArray()).put("stop_reason", null)
        .put("usage", usage(body).put("output_tokens", 1))));
    events.add(new JsonObject().put("type", "ping"));
    List<JsonObject> blocks = reply.blocks();
    for (int index = 0; index < blocks.size(); index++) {
      blockEvents(index, blocks.get(index), events);
      if (index == 0 && reply.errorMidStream) {
        events.add(errorBody("overloaded_error", "Overloaded"));
        break;
      }
      if (index == 0 && reply.cutMidStream) {
        break;
      }
    }
    if (!reply.errorMidStream && !reply.cutMidStream) {
      events.add(new JsonObject().put("type", "message_delta")
          .put("delta", new JsonObject().put("stop_reason", reply.stopReason()).put("stop_sequence", null))
          .put("usage", new JsonObject().put("output_tokens", Reply.OUTPUT_TOKENS)));
      events.add(new JsonObject().put("type", "message_stop"));
    }
    streamFrames(response, "text/event-stream", events.stream()
        .map(event -> "event: " + event.getString("type") + "\r\ndata: " + event.encode() + "\r\n\r\n").toList(), 1, false);
  }

  /** A block as {@code content_block_start} (empty), its deltas in fragments, and {@code content_block_stop}. */
  private static void blockEvents(int index, JsonObject block, List<JsonObject> events) {
    String type = block.getString("type");
    JsonObject start = block.copy();
    List<JsonObject> deltas = new ArrayList<>();
    switch (type) {
      case "text" -> {
        start.put("text", "");
        for (String piece : halves(block.getString("text"))) {
          deltas.add(new JsonObject().put("type", "text_delta").put("text", piece));
        }
      }
      case "thinking" -> {
        start.put("thinking", "").put("signature", "");
        for (String piece : halves(block.getString("thinking"))) {
          deltas.add(new JsonObject().put("type", "thinking_delta").put("thinking", piece));
        }
        deltas.add(new JsonObject().put("type", "signature_delta").put("signature", block.getString("signature")));
      }
      case "tool_use" -> {
        start.put("input", new JsonObject());
        // Anthropic opens tool input with an empty fragment.
        deltas.add(new JsonObject().put("type", "input_json_delta").put("partial_json", ""));
        for (String piece : halves(block.getJsonObject("input").encode())) {
          deltas.add(new JsonObject().put("type", "input_json_delta").put("partial_json", piece));
        }
      }
      default -> throw new IllegalStateException(type);
    }
    events.add(new JsonObject().put("type", "content_block_start").put("index", index).put("content_block", start));
    deltas.forEach(delta -> events.add(new JsonObject().put("type", "content_block_delta").put("index", index)
        .put("delta", delta)));
    events.add(new JsonObject().put("type", "content_block_stop").put("index", index));
  }

  private static List<String> halves(String text) {
    int cut = text.length() / 2;
    return cut == 0 ? List.of(text) : List.of(text.substring(0, cut), text.substring(cut));
  }

  /** What the upstream answers next: thinking, then text, then tool calls, as Claude orders them. */
  public static final class Reply {
    public static final int INPUT_TOKENS = 12;
    public static final int CACHED_TOKENS = 30;
    public static final int OUTPUT_TOKENS = 9;

    final int status;
    final String text;
    final String errorType;
    final String retryAfter;
    final List<JsonObject> toolUses = new ArrayList<>();
    String thinking;
    String signature;
    boolean errorMidStream;
    boolean cutMidStream;

    private Reply(int status, String text, String errorType, String retryAfter) {
      this.status = status;
      this.text = text;
      this.errorType = errorType;
      this.retryAfter = retryAfter;
    }

    public static Reply text(String text) {
      return new Reply(200, text, null, null);
    }

    /** A turn of tool calls only; add more with {@link #andToolUse}. */
    public static Reply toolUse(String id, String name, JsonObject input) {
      return new Reply(200, null, null, null).andToolUse(id, name, input);
    }

    public static Reply error(int status, String type, String message, String retryAfter) {
      return new Reply(status, message, type, retryAfter);
    }

    public Reply andToolUse(String id, String name, JsonObject input) {
      toolUses.add(new JsonObject().put("type", "tool_use").put("id", id).put("name", name).put("input", input));
      return this;
    }

    public Reply withThinking(String thinking, String signature) {
      this.thinking = thinking;
      this.signature = signature;
      return this;
    }

    /** Streams send an {@code error} event after the first block. */
    public Reply erroringMidStream() {
      this.errorMidStream = true;
      return this;
    }

    /** Streams end after the first block, without {@code message_delta} or {@code message_stop}. */
    public Reply cutMidStream() {
      this.cutMidStream = true;
      return this;
    }

    List<JsonObject> blocks() {
      List<JsonObject> blocks = new ArrayList<>();
      if (thinking != null) {
        blocks.add(new JsonObject().put("type", "thinking").put("thinking", thinking).put("signature", signature));
      }
      if (text != null) {
        blocks.add(new JsonObject().put("type", "text").put("text", text).put("citations", null));
      }
      blocks.addAll(toolUses);
      return blocks;
    }

    String stopReason() {
      return toolUses.isEmpty() ? "end_turn" : "tool_use";
    }
  }
}
