package io.lmbridge.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;

/**
 * The upstream for {@code scripts/bench.sh}: an OpenAI Chat Completions endpoint on 127.0.0.1 that
 * answers every request with the same completion after the delay its model names
 * ({@code bench-delay-50} waits 50 ms), so that whatever latency the benchmark sees beyond that
 * delay belongs to the HTTP path and, through the gateway, to the gateway. One process serves every
 * delay, so one warmed-up gateway can be measured against all of them.
 * A stream is written in one go after the delay (unlike the test kit's {@code OpenAiUpstream}, which
 * paces its events to exercise parsing), and one server instance runs per core so the mock is not
 * what limits throughput.
 *
 * <p>Usage: {@code MockUpstream PORT}
 */
public final class MockUpstream extends VerticleBase {

  private static final int CONTENT_CHUNKS = 20;
  private static final String WORD = "token ";
  private static final String MODEL = "bench-model";
  private static final String DELAY_PREFIX = "bench-delay-";
  /** What every answer says, streamed or not, for load generators that check what they got. */
  static final String TEXT = WORD.repeat(CONTENT_CHUNKS);

  private static final byte[] COMPLETION = completion().encode().getBytes(StandardCharsets.UTF_8);
  private static final byte[] STREAM = stream().getBytes(StandardCharsets.UTF_8);

  private final int port;

  private MockUpstream(int port) {
    this.port = port;
  }

  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: MockUpstream PORT");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    int instances = Runtime.getRuntime().availableProcessors();
    Vertx vertx = Vertx.vertx();
    vertx.deployVerticle(() -> new MockUpstream(port), new DeploymentOptions().setInstances(instances))
        .onSuccess(id -> System.out.println("MockUpstream listening on http://127.0.0.1:" + port
            + " (" + instances + " instances)"))
        .onFailure(failure -> {
          System.err.println("MockUpstream could not start: " + failure.getMessage());
          System.exit(1);
        });
  }

  @Override
  public Future<?> start() {
    return vertx.createHttpServer().requestHandler(this::handle).listen(port, "127.0.0.1");
  }

  private void handle(HttpServerRequest request) {
    HttpServerResponse response = request.response();
    if (request.path().equals("/health")) {
      response.end();
    } else if (!request.path().equals("/v1/chat/completions")) {
      response.setStatusCode(404).end();
    } else {
      request.body().onSuccess(body -> {
        JsonObject json = body.toJsonObject();
        boolean stream = json.getBoolean("stream", false);
        String model = json.getString("model", "");
        long delayMillis = model.startsWith(DELAY_PREFIX) ? Long.parseLong(model.substring(DELAY_PREFIX.length())) : 0;
        // No timer at all for a zero delay: even the shortest one would put a floor under every request.
        if (delayMillis == 0) {
          answer(response, stream);
        } else {
          vertx.setTimer(delayMillis, timer -> answer(response, stream));
        }
      });
    }
  }

  private static void answer(HttpServerResponse response, boolean stream) {
    if (stream) {
      response.setChunked(true).putHeader("Content-Type", "text/event-stream").end(Buffer.buffer(STREAM));
    } else {
      response.putHeader("Content-Type", "application/json").end(Buffer.buffer(COMPLETION));
    }
  }

  /** The same text the stream carries, as one {@code chat.completion}. */
  private static JsonObject completion() {
    return new JsonObject()
        .put("id", "chatcmpl-bench")
        .put("object", "chat.completion")
        .put("created", 1700000000)
        .put("model", MODEL)
        .put("choices", new JsonArray().add(new JsonObject()
            .put("index", 0)
            .put("message", new JsonObject().put("role", "assistant").put("content", TEXT))
            .put("logprobs", null)
            .put("finish_reason", "stop")))
        .put("usage", usage());
  }

  /** Role and content chunks, the finish chunk, the usage chunk and {@code [DONE]}, framed with CRLF as OpenAI does. */
  private static String stream() {
    StringBuilder events = new StringBuilder();
    for (int i = 0; i < CONTENT_CHUNKS; i++) {
      JsonObject delta = i == 0 ? new JsonObject().put("role", "assistant") : new JsonObject();
      event(events, chunk(new JsonArray().add(choice(delta.put("content", WORD), null))));
    }
    event(events, chunk(new JsonArray().add(choice(new JsonObject(), "stop"))));
    event(events, chunk(new JsonArray()).put("usage", usage()));
    return events.append("data: [DONE]\r\n\r\n").toString();
  }

  private static void event(StringBuilder events, JsonObject data) {
    events.append("data: ").append(data.encode()).append("\r\n\r\n");
  }

  private static JsonObject chunk(JsonArray choices) {
    return new JsonObject()
        .put("id", "chatcmpl-bench")
        .put("object", "chat.completion.chunk")
        .put("created", 1700000000)
        .put("model", MODEL)
        .put("choices", choices);
  }

  private static JsonObject choice(JsonObject delta, String finishReason) {
    return new JsonObject()
        .put("index", 0).put("delta", delta).put("logprobs", null).put("finish_reason", finishReason);
  }

  private static JsonObject usage() {
    return new JsonObject().put("prompt_tokens", 12).put("completion_tokens", CONTENT_CHUNKS)
        .put("total_tokens", 12 + CONTENT_CHUNKS);
  }
}
