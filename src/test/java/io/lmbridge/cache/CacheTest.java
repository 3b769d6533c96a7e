package io.lmbridge.cache;

import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import io.lmbridge.testkit.GatewayFixture;
import io.lmbridge.testkit.Http;
import io.lmbridge.testkit.OpenAiUpstream;
import io.lmbridge.testkit.OpenAiUpstream.Reply;
import io.lmbridge.testkit.SdkResponseStream;
import io.lmbridge.testkit.TestGateway;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The response cache through the gateway: hits skip the provider, in every dialect, streamed or not. */
class CacheTest {

  private static GatewayFixture fixture;
  private static OpenAiUpstream upstream;
  private static Http http;

  @BeforeAll
  static void start() {
    fixture = GatewayFixture.start(upstream -> cachingGateway(upstream, 600));
    upstream = fixture.upstream();
    http = fixture.http();
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @BeforeEach
  void reset() {
    upstream.reply(Reply.text("cached words here"));
    upstream.received().clear();
  }

  @Test
  void aRepeatedRequestIsAnsweredFromTheCache() {
    JsonObject request = chat(unique(), false);
    Http.Reply first = http.post("/v1/chat/completions", request);
    upstream.reply(Reply.text("a different answer"));
    Http.Reply second = http.post("/v1/chat/completions", request);

    assertThat(first.headers().get("x-lmbridge-cache")).isEqualTo("miss");
    assertThat(second.headers().get("x-lmbridge-cache")).isEqualTo("hit");
    assertThat(content(second)).isEqualTo("cached words here");
    assertThat(second.json().getJsonObject("usage").getInteger("prompt_tokens")).isEqualTo(11);
    assertThat(upstream.received()).hasSize(1);
  }

  @Test
  void keyOrderAndWhitespaceDoNotMatter() {
    String prompt = unique();
    http.post("/v1/chat/completions", "{\"model\":\"openai:gpt-4o\",\"temperature\":0.5,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}");
    Http.Reply reordered = http.post("/v1/chat/completions", "{ \"messages\" : [ { \"content\" : \"" + prompt
        + "\", \"role\" : \"user\" } ],\n  \"temperature\" : 0.5, \"model\" : \"openai:gpt-4o\" }");
    assertThat(reordered.headers().get("x-lmbridge-cache")).isEqualTo("hit");
    Http.Reply otherTemperature = http.post("/v1/chat/completions", chat(prompt, false).put("temperature", 0.7));
    assertThat(otherTemperature.headers().get("x-lmbridge-cache")).isEqualTo("miss");
    assertThat(upstream.received()).hasSize(2);
  }

  @Test
  void aStreamedHitIsReplayedAsAWellFormedStream() {
    String prompt = unique();
    http.post("/v1/chat/completions", chat(prompt, true)
        .put("stream_options", new JsonObject().put("include_usage", true)));
    Http.Reply hit = http.post("/v1/chat/completions", chat(prompt, true)
        .put("stream_options", new JsonObject().put("include_usage", true)));

    assertThat(hit.headers().get("x-lmbridge-cache")).isEqualTo("hit");
    assertThat(hit.headers().get("Content-Type")).startsWith("text/event-stream");
    List<String[]> events = hit.events();
    assertThat(events.get(events.size() - 1)[1]).isEqualTo("[DONE]");
    StringBuilder text = new StringBuilder();
    String finish = null;
    JsonObject usage = null;
    for (String[] event : events.subList(0, events.size() - 1)) {
      JsonObject chunk = new JsonObject(event[1]);
      for (Object choice : chunk.getJsonArray("choices")) {
        JsonObject delta = ((JsonObject) choice).getJsonObject("delta");
        text.append(delta.getString("content", ""));
        finish = ((JsonObject) choice).getString("finish_reason", finish);
      }
      usage = chunk.getJsonObject("usage", usage);
    }
    assertThat(text).hasToString("cached words here");
    assertThat(finish).isEqualTo("stop");
    assertThat(usage.getInteger("total_tokens")).isEqualTo(18);
    assertThat(upstream.received()).hasSize(1);
  }

  @Test
  void aPlainAnswerServesALaterStreamInAnotherDialect() {
    String prompt = unique();
    http.post("/v1/chat/completions", chat(prompt, false));
    Response streamed = SdkResponseStream.read(fixture.gateway().openAi(),
        ResponseCreateParams.builder().model("openai:gpt-4o").input(prompt).build());
    assertThat(streamed.output().get(0).asMessage().content().get(0).asOutputText().text())
        .isEqualTo("cached words here");
    assertThat(upstream.received()).hasSize(1);
  }

  @Test
  void clientsCanSkipTheCache() {
    String prompt = unique();
    http.post("/v1/chat/completions", chat(prompt, false));
    Http.Reply header = http.send(HttpMethod.POST, "/v1/chat/completions", chat(prompt, false).encode(),
        MultiMap.caseInsensitiveMultiMap().add("Cache-Control", "no-cache"));
    Http.Reply body = http.post("/v1/chat/completions", chat(prompt, false).put("cache", false));

    assertThat(header.headers().get("x-lmbridge-cache")).isEqualTo("miss");
    assertThat(body.headers().get("x-lmbridge-cache")).isEqualTo("miss");
    assertThat(upstream.received()).hasSize(3);
    assertThat(upstream.last().body().containsKey("cache")).isFalse();
    assertThat(http.post("/v1/chat/completions", chat(prompt, false).put("cache", "no")).error()
        .getString("param")).isEqualTo("cache");
  }

  @Test
  void errorsAreNeverCached() {
    String prompt = unique();
    upstream.reply(Reply.error(400, "invalid_request_error", "bad request upstream", null));
    assertThat(http.post("/v1/chat/completions", chat(prompt, false)).status()).isEqualTo(400);
    upstream.reply(Reply.text("now fine"));
    Http.Reply retried = http.post("/v1/chat/completions", chat(prompt, false));
    assertThat(retried.status()).isEqualTo(200);
    assertThat(retried.headers().get("x-lmbridge-cache")).isEqualTo("miss");

    upstream.reply(Reply.text("cut short").failingMidStream());
    String streamed = unique();
    http.post("/v1/chat/completions", chat(streamed, true));
    assertThat(http.post("/v1/chat/completions", chat(streamed, true)).headers().get("x-lmbridge-cache"))
        .isEqualTo("miss");
  }

  @Test
  void entriesExpireAfterTheirTimeToLive() {
    try (TestGateway shortLived = cachingGateway(upstream, 1)) {
      Http client = new Http(fixture.vertx(), shortLived.port());
      JsonObject request = chat(unique(), false);
      client.post("/v1/chat/completions", request);
      assertThat(client.post("/v1/chat/completions", request).headers().get("x-lmbridge-cache")).isEqualTo("hit");
      await().pollDelay(Duration.ofMillis(1100)).until(() -> true);
      assertThat(client.post("/v1/chat/completions", request).headers().get("x-lmbridge-cache")).isEqualTo("miss");
    }
  }

  @Test
  void theLeastRecentlyUsedEntryGoesBeyondTheBound() {
    JsonObject first = chat(unique(), false);
    http.post("/v1/chat/completions", first);
    for (int i = 0; i < 3; i++) {
      http.post("/v1/chat/completions", chat(unique(), false));
    }
    assertThat(http.post("/v1/chat/completions", first).headers().get("x-lmbridge-cache")).isEqualTo("miss");
    JsonObject cache = http.get("/v1/service/status").json().getJsonObject("cache");
    assertThat(cache.getInteger("entries")).isLessThanOrEqualTo(3);
    assertThat(cache.getLong("bytes")).isPositive();
    assertThat(cache.getLong("hits")).isGreaterThanOrEqualTo(0);
    assertThat(cache.getLong("misses")).isPositive();
    assertThat(cache.getBoolean("enabled")).isTrue();
  }

  private static TestGateway cachingGateway(OpenAiUpstream upstream, int ttlSeconds) {
    return TestGateway.withOpenAi(upstream, new JsonObject()
        .put("cache", new JsonObject().put("enabled", true).put("ttl_seconds", ttlSeconds).put("max_entries", 3)));
  }

  private static JsonObject chat(String prompt, boolean stream) {
    return new JsonObject().put("model", "openai:gpt-4o").put("stream", stream)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", prompt)));
  }

  private static String unique() {
    return "prompt " + UUID.randomUUID();
  }

  private static String content(Http.Reply reply) {
    return reply.json().getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content");
  }
}
