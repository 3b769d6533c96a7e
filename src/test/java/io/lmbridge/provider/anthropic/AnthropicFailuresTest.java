package io.lmbridge.provider.anthropic;

import io.lmbridge.testkit.AnthropicUpstream.Reply;
import io.lmbridge.testkit.Http;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Anthropic's error bodies, rate limits, overload and broken streams, as OpenAI clients see them. */
class AnthropicFailuresTest extends AnthropicGatewayTest {

  @Test
  void rateLimitThenSuccessIsRetried() {
    upstream.replyOnce(Reply.error(429, "rate_limit_error", "Number of requests has exceeded your rate limit", "0"));
    Http.Reply reply = http.post("/v1/chat/completions", chat(true));
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().toString()).contains("\"Hello fr\"", "\"om Claude\"").endsWith("data: [DONE]\n\n");
    assertThat(upstream.received()).hasSize(2);
  }

  @Test
  void rateLimitWithALongRetryAfterReachesTheClientWithIt() {
    upstream.reply(Reply.error(429, "rate_limit_error", "Number of requests has exceeded your rate limit", "30"));
    Http.Reply reply = http.post("/v1/chat/completions", chat(false));
    assertThat(reply.status()).isEqualTo(429);
    assertThat(reply.headers().get("Retry-After")).isEqualTo("30");
    assertThat(reply.error().getString("type")).isEqualTo("rate_limit_error");
    assertThat(reply.error().getString("message")).contains("exceeded your rate limit");
    assertThat(upstream.received()).hasSize(1);
  }

  @Test
  void overloadedIsRetriedThenAnswered503() {
    upstream.reply(Reply.error(529, "overloaded_error", "Overloaded", null));
    Http.Reply reply = http.post("/v1/chat/completions", chat(false));
    assertThat(reply.status()).isEqualTo(503);
    assertThat(reply.error().getString("type")).isEqualTo("overloaded_error");
    assertThat(reply.error().getString("message")).isEqualTo("anthropic: Overloaded");
    assertThat(upstream.received()).hasSize(3);
  }

  @Test
  void invalidRequestKeepsAnthropicsReason() {
    upstream.reply(Reply.error(400, "invalid_request_error", "messages.0.content: Field required", null));
    Http.Reply reply = http.post("/v1/chat/completions", chat(false));
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.error().getString("message")).isEqualTo("anthropic: messages.0.content: Field required");
    assertThat(upstream.received()).hasSize(1);
  }

  @Test
  void errorEventMidStreamEndsTheClientStreamWithAnError() {
    upstream.reply(Reply.text("partial answer").erroringMidStream());
    List<String[]> events = http.post("/v1/chat/completions", chat(true)).events();
    assertThat(String.join("", events.stream().map(e -> e[1]).toList())).contains("\"partial\"", "\" answer\"");
    JsonObject error = new JsonObject(events.get(events.size() - 1)[1]).getJsonObject("error");
    assertThat(error.getString("type")).isEqualTo("overloaded_error");
    assertThat(error.getString("message")).isEqualTo("anthropic: Overloaded");
    assertThat(upstream.received()).hasSize(1);
  }

  @Test
  void connectionCutMidStreamEndsTheClientStreamWithAnError() {
    upstream.reply(Reply.text("partial answer").cutMidStream());
    List<String[]> events = http.post("/v1/chat/completions", chat(true)).events();
    assertThat(events.get(events.size() - 1)[1]).contains("\"error\"");
    assertThat(events.stream().map(e -> e[1])).doesNotContain("[DONE]");
  }

  private static JsonObject chat(boolean stream) {
    return new JsonObject().put("model", "anthropic:claude-haiku-4-5").put("stream", stream)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hi")));
  }
}
