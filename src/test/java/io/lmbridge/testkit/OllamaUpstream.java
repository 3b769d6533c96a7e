package io.lmbridge.testkit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * An Ollama server as its API documents it: {@code POST /api/chat} (bodies checked against
 * {@code ChatRequest}), streaming NDJSON by default with lines split across writes, thinking,
 * whole tool calls with object arguments, a final {@code done} line with {@code done_reason} and
 * token counts, {@code {"error": "..."}} bodies, and {@code GET /api/tags}.
 */
public final class OllamaUpstream extends ScriptedUpstream<UpstreamReply> {

  private volatile List<String> models = List.of("phi4:latest", "llama3.2:latest");

  private OllamaUpstream(Vertx vertx) {
    super(vertx, UpstreamReply.text("Hello from the upstream"), "/specs/ollama-chat.schema.json");
  }

  public static OllamaUpstream start(Vertx vertx) {
    OllamaUpstream upstream = new OllamaUpstream(vertx);
    return upstream.listen().map(upstream).await();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  public void models(List<String> names) {
    models = List.copyOf(names);
  }

  @Override
  protected void handle(HttpServerRequest request, JsonObject body) {
    HttpServerResponse response = request.response();
    if (request.method() == HttpMethod.GET && request.path().equals("/api/tags")) {
      JsonArray list = new JsonArray();
      models.forEach(name -> list.add(new JsonObject().put("name", name).put("model", name)
          .put("modified_at", "2025-05-04T17:37:44.706015396-07:00").put("size", 2019393189)
          .put("details", new JsonObject().put("format", "gguf").put("family", "llama"))));
      response.putHeader("Content-Type", "application/json").end(new JsonObject().put("models", list).toBuffer());
      return;
    }
    if (request.method() != HttpMethod.POST || !request.path().equals("/api/chat")) {
      response.setStatusCode(404).end("404 page not found");
      return;
    }
    record(request, body);
    if (!meetsSpec(body)) {
      error(response, 400, "invalid request: see the test's violations");
      return;
    }
    UpstreamReply reply = nextReply();
    if (reply.status != 200) {
      if (reply.retryAfter != null) {
        response.putHeader("Retry-After", reply.retryAfter);
      }
      error(response, reply.status, reply.text);
    } else if (body.getBoolean("stream", true)) {
      stream(response, body.getString("model"), reply);
    } else {
      response.putHeader("Content-Type", "application/json; charset=utf-8").end(whole(body.getString("model"), reply)
          .toBuffer());
    }
  }

  private static void error(HttpServerResponse response, int status, String message) {
    response.setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
        .end(new JsonObject().put("error", message).toBuffer());
  }

  private static JsonObject whole(String model, UpstreamReply reply) {
    JsonObject message = new JsonObject().put("role", "assistant").put("content", reply.text);
    if (reply.reasoning != null) {
      message.put("thinking", reply.reasoning);
    }
    if (reply.toolName != null) {
      message.put("tool_calls", toolCalls(reply));
    }
    return done(line(model, message), reply);
  }

  /** Thinking, then a line per word (or the tool call), then the {@code done} line. */
  private void stream(HttpServerResponse response, String model, UpstreamReply reply) {
    List<JsonObject> lines = new ArrayList<>();
    if (reply.reasoning != null) {
      lines.add(line(model, new JsonObject().put("role", "assistant").put("content", "")
          .put("thinking", reply.reasoning)));
    }
    if (reply.toolName != null) {
      lines.add(line(model, new JsonObject().put("role", "assistant").put("content", "")
          .put("tool_calls", toolCalls(reply))));
    } else {
      reply.pieces().forEach(piece ->
          lines.add(line(model, new JsonObject().put("role", "assistant").put("content", piece))));
    }
    lines.add(done(line(model, new JsonObject().put("role", "assistant").put("content", "")), reply));
    List<String> frames = new ArrayList<>();
    lines.forEach(json -> frames.add(json.encode() + "\n"));
    streamFrames(response, "application/x-ndjson", reply.framesSent(frames), 1, reply.cutMidStream);
  }

  private static JsonArray toolCalls(UpstreamReply reply) {
    return new JsonArray().add(new JsonObject().put("function", new JsonObject()
        .put("name", reply.toolName).put("arguments", reply.toolArguments)));
  }

  private static JsonObject line(String model, JsonObject message) {
    return new JsonObject().put("model", model).put("created_at", "2025-07-07T20:22:19.184789Z")
        .put("message", message).put("done", false);
  }

  private static JsonObject done(JsonObject line, UpstreamReply reply) {
    return line.put("done", true).put("done_reason", reply.finishReason != null ? reply.finishReason : "stop")
        .put("total_duration", 182242375).put("load_duration", 41295167)
        .put("prompt_eval_count", 26).put("prompt_eval_duration", 24573166)
        .put("eval_count", 9).put("eval_duration", 115959084);
  }
}
