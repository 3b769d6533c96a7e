package io.lmbridge.testkit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Google's Gemini API as documented: {@code POST /v1beta/models/{model}:generateContent} and
 * {@code :streamGenerateContent?alt=sse}, {@code x-goog-api-key}, request bodies checked against
 * {@code GenerateContentRequest}, SSE chunks framed with CRLF and split across writes, thought parts,
 * function calls with a thought signature, cumulative {@code usageMetadata}, and Google error bodies.
 */
public final class GeminiUpstream extends ScriptedUpstream<UpstreamReply> {

  public static final String THOUGHT_SIGNATURE = "c2lnbmF0dXJlLW9mLXRob3VnaHRz";
  private static final Pattern PATH = Pattern.compile("/v1beta/models/([^/:]+):(generateContent|streamGenerateContent)");

  private final String apiKey;

  private GeminiUpstream(Vertx vertx, String apiKey) {
    super(vertx, UpstreamReply.text("Hello from the upstream"), "/specs/gemini-generate-content.schema.json");
    this.apiKey = apiKey;
  }

  public static GeminiUpstream start(Vertx vertx, String apiKey) {
    GeminiUpstream upstream = new GeminiUpstream(vertx, apiKey);
    return upstream.listen().map(upstream).await();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port() + "/v1beta";
  }

  @Override
  protected void handle(HttpServerRequest request, JsonObject body) {
    HttpServerResponse response = request.response();
    Matcher path = PATH.matcher(request.path());
    if (request.method() != HttpMethod.POST || !path.matches()) {
      error(response, 404, "NOT_FOUND", "Requested entity was not found.", null);
      return;
    }
    if (!apiKey.equals(request.getHeader("x-goog-api-key"))) {
      error(response, 400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", null);
      return;
    }
    record(request, body);
    if (!meetsSpec(body)) {
      error(response, 400, "INVALID_ARGUMENT", "Invalid JSON payload received (see the test's violations).", null);
      return;
    }
    UpstreamReply reply = nextReply();
    if (reply.status != 200) {
      error(response, reply.status, reply.status == 429 ? "RESOURCE_EXHAUSTED" : "INTERNAL", reply.text,
          reply.retryAfter);
    } else if (path.group(2).equals("streamGenerateContent")) {
      if (!"sse".equals(request.getParam("alt"))) {
        error(response, 400, "INVALID_ARGUMENT", "this test upstream streams only with alt=sse", null);
        return;
      }
      stream(response, path.group(1), reply);
    } else {
      response.putHeader("Content-Type", "application/json").end(whole(path.group(1), reply).toBuffer());
    }
  }

  private static void error(HttpServerResponse response, int status, String name, String message, String retryAfter) {
    if (retryAfter != null) {
      response.putHeader("Retry-After", retryAfter);
    }
    response.setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("error", new JsonObject().put("code", status).put("message", message)
            .put("status", name)).toBuffer());
  }

  private JsonObject whole(String model, UpstreamReply reply) {
    JsonArray parts = new JsonArray();
    if (reply.reasoning != null) {
      parts.add(new JsonObject().put("text", reply.reasoning).put("thought", true));
    }
    if (reply.toolName != null) {
      parts.add(functionCall(reply));
    } else if (!reply.text.isEmpty()) {
      parts.add(new JsonObject().put("text", reply.text));
    }
    return chunk(model, reply, parts, finishReason(reply), usage(reply, reply.pieces().size()));
  }

  /** A thought chunk, a chunk per word (or the function call), then the finish; usage grows on each. */
  private void stream(HttpServerResponse response, String model, UpstreamReply reply) {
    List<String> frames = new ArrayList<>();
    streamChunks(model, reply).forEach(chunk -> frames.add("data: " + chunk.encode() + "\r\n\r\n"));
    streamFrames(response, "text/event-stream", reply.framesSent(frames), 1, reply.cutMidStream);
  }

  private static List<JsonObject> streamChunks(String model, UpstreamReply reply) {
    List<JsonObject> chunks = new ArrayList<>();
    if (reply.blockReason != null) {
      chunks.add(chunk(model, reply, null, null, usage(reply, 0)));
      return chunks;
    }
    if (reply.reasoning != null) {
      chunks.add(chunk(model, reply, new JsonArray().add(new JsonObject().put("text", reply.reasoning)
          .put("thought", true)), null, usage(reply, 0)));
    }
    if (reply.toolName != null) {
      chunks.add(chunk(model, reply, new JsonArray().add(functionCall(reply)), finishReason(reply), usage(reply, 1)));
      return chunks;
    }
    List<String> pieces = reply.pieces();
    for (int i = 0; i < pieces.size(); i++) {
      boolean last = i == pieces.size() - 1;
      chunks.add(chunk(model, reply, new JsonArray().add(new JsonObject().put("text", pieces.get(i))),
          last ? finishReason(reply) : null, usage(reply, i + 1)));
    }
    return chunks;
  }

  private static JsonObject functionCall(UpstreamReply reply) {
    return new JsonObject()
        .put("functionCall", new JsonObject().put("name", reply.toolName).put("args", reply.toolArguments))
        .put("thoughtSignature", THOUGHT_SIGNATURE);
  }

  private static String finishReason(UpstreamReply reply) {
    return reply.finishReason != null ? reply.finishReason : "STOP";
  }

  /** A response; a blocked prompt has no candidates, only {@code promptFeedback}. */
  private static JsonObject chunk(String model, UpstreamReply reply, JsonArray parts, String finishReason,
                                  JsonObject usage) {
    JsonObject response = new JsonObject().put("modelVersion", model).put("responseId", "resp-upstream")
        .put("usageMetadata", usage);
    if (reply.blockReason != null) {
      return response.put("promptFeedback", new JsonObject().put("blockReason", reply.blockReason));
    }
    JsonObject candidate = new JsonObject().put("index", 0)
        .put("content", new JsonObject().put("role", "model").put("parts", parts));
    if (finishReason != null) {
      candidate.put("finishReason", finishReason);
    }
    return response.put("candidates", new JsonArray().add(candidate));
  }

  /** 21 prompt tokens (4 of them cached), a token per piece of answer, 5 thought tokens when thinking. */
  private static JsonObject usage(UpstreamReply reply, int answered) {
    int thoughts = reply.reasoning != null ? 5 : 0;
    return new JsonObject().put("promptTokenCount", 21).put("candidatesTokenCount", answered)
        .put("cachedContentTokenCount", 4).put("thoughtsTokenCount", thoughts)
        .put("totalTokenCount", 21 + answered + thoughts);
  }
}
