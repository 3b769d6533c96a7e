package io.lmbridge.provider;

import io.lmbridge.testkit.GatewayFixture;
import io.lmbridge.testkit.Http;
import io.lmbridge.testkit.OpenAiUpstream;
import io.lmbridge.testkit.OpenAiUpstream.Reply;
import io.lmbridge.testkit.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Upstream 429, 5xx and refused connections are retried with backoff, before the client saw anything. */
class RetryTest {

  private static Vertx vertx;
  private static OpenAiUpstream upstream;
  private static TestGateway gateway;
  private static Http http;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    upstream = OpenAiUpstream.start(vertx, GatewayFixture.KEY).await();
    gateway = TestGateway.withOpenAi(upstream, new JsonObject()
        .put("retries", new JsonObject().put("max_retries", 2).put("initial_backoff_ms", 20).put("max_backoff_ms", 1000))
        .put("providers", new JsonObject()
            .put("gone", new JsonObject().put("base_url", "http://127.0.0.1:1/v1").put("api_key", "k"))));
    http = new Http(vertx, gateway.port());
  }

  @AfterAll
  static void stop() {
    gateway.close();
    vertx.close().await();
  }

  @BeforeEach
  void reset() {
    upstream.reply(Reply.text("recovered"));
    upstream.received().clear();
  }

  @Test
  void rateLimitThenSuccessAnswersTheSuccess() {
    upstream.replyOnce(Reply.error(429, "rate_limit_error", "slow down", "0"));
    Http.Reply response = http.post("/v1/chat/completions", chat("openai:gpt-4o", false));
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().getJsonArray("choices").getJsonObject(0).getJsonObject("message")
        .getString("content")).isEqualTo("recovered");
    assertThat(upstream.received()).hasSize(2);
  }

  @Test
  void serverErrorsBeforeAStreamStartsAreRetried() {
    upstream.replyOnce(Reply.error(503, "server_error", "overloaded", null),
        Reply.error(500, "server_error", "oops", null));
    Http.Reply response = http.post("/v1/chat/completions", chat("openai:gpt-4o", true));
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body().toString()).contains("recovered").endsWith("data: [DONE]\n\n");
    assertThat(upstream.received()).hasSize(3);
  }

  @Test
  void givesUpAfterTheConfiguredRetries() {
    upstream.reply(Reply.error(502, "server_error", "bad gateway upstream", null));
    Http.Reply response = http.post("/v1/chat/completions", chat("openai:gpt-4o", false));
    assertThat(response.status()).isEqualTo(502);
    assertThat(response.error().getString("message")).contains("bad gateway upstream");
    assertThat(upstream.received()).hasSize(3);
  }

  @Test
  void aRetryAfterLongerThanTheBackoffCapGoesToTheClient() {
    upstream.replyOnce(Reply.error(429, "rate_limit_error", "quota", "30"));
    Http.Reply response = http.post("/v1/chat/completions", chat("openai:gpt-4o", false));
    assertThat(response.status()).isEqualTo(429);
    assertThat(response.headers().get("retry-after")).isEqualTo("30");
    assertThat(upstream.received()).hasSize(1);
  }

  @Test
  void clientErrorsAreNotRetried() {
    upstream.replyOnce(Reply.error(400, "invalid_request_error", "bad field", null));
    Http.Reply response = http.post("/v1/chat/completions", chat("openai:gpt-4o", false));
    assertThat(response.status()).isEqualTo(400);
    assertThat(upstream.received()).hasSize(1);
  }

  @Test
  void aRefusedConnectionEndsAsBadGatewayAfterRetrying() {
    Http.Reply response = http.post("/v1/chat/completions", chat("gone:model", false));
    assertThat(response.status()).isEqualTo(502);
    assertThat(response.error().getString("code")).isEqualTo("upstream_unreachable");
  }

  private static JsonObject chat(String model, boolean stream) {
    return new JsonObject().put("model", model).put("stream", stream)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));
  }
}
