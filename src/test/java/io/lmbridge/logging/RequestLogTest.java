package io.lmbridge.logging;

import io.lmbridge.testkit.GatewayFixture;
import io.lmbridge.testkit.Http;
import io.lmbridge.testkit.LogDatabase;
import io.lmbridge.testkit.OpenAiUpstream;
import io.lmbridge.testkit.OpenAiUpstream.Reply;
import io.lmbridge.testkit.TestGateway;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/** Every chat request leaves a complete row in the SQLite log, readable through the analytics API. */
class RequestLogTest {

  private static GatewayFixture fixture;
  private static OpenAiUpstream upstream;
  private static Http http;

  @BeforeAll
  static void start() {
    fixture = GatewayFixture.start(upstream -> TestGateway.withOpenAi(upstream,
        new JsonObject().put("cache", new JsonObject().put("enabled", true))));
    upstream = fixture.upstream();
    http = fixture.http();
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @BeforeEach
  void reset() {
    upstream.reply(Reply.text("logged answer"));
  }

  @Test
  void rowsAreCompleteForSuccessErrorStreamAndCacheHit() {
    String prompt = "log me " + UUID.randomUUID();
    post("req-ok", chat("openai:gpt-4o", prompt, false).put("api_key", "sk-leaked-secret"));
    post("req-hit", chat("openai:gpt-4o", prompt, false).put("api_key", "sk-leaked-secret"));
    post("req-stream", chat("openai:gpt-4o", "stream " + prompt, true));
    upstream.reply(Reply.error(400, "invalid_request_error", "upstream refused it", null));
    post("req-error", chat("openai:gpt-4o", "error " + prompt, false));
    post("req-unknown", chat("nowhere:model", prompt, false));
    http.send(HttpMethod.POST, "/v1/chat/completions", "{\"model\": ",
        MultiMap.caseInsensitiveMultiMap().add("x-request-id", "req-bad-json"));

    JsonObject ok = logged("req-ok");
    assertThat(ok.getString("endpoint")).isEqualTo("/v1/chat/completions");
    assertThat(ok.getString("dialect")).isEqualTo("chat_completions");
    assertThat(ok.getString("provider")).isEqualTo("openai");
    assertThat(ok.getString("model")).isEqualTo("openai:gpt-4o");
    assertThat(ok.getBoolean("stream")).isFalse();
    assertThat(ok.getInteger("status")).isEqualTo(200);
    assertThat(ok.getString("error_type")).isNull();
    assertThat(ok.getInteger("prompt_tokens")).isEqualTo(11);
    assertThat(ok.getInteger("completion_tokens")).isEqualTo(7);
    assertThat(ok.getInteger("cached_tokens")).isEqualTo(3);
    assertThat(ok.getBoolean("cache_hit")).isFalse();
    assertThat(ok.getDouble("upstream_ms")).isPositive().isLessThanOrEqualTo(ok.getDouble("latency_ms"));
    assertThat(ok.getString("request_body")).contains(prompt).contains("[redacted]").doesNotContain("sk-leaked");
    assertThat(ok.getString("response_body")).contains("logged answer");

    JsonObject hit = logged("req-hit");
    assertThat(hit.getBoolean("cache_hit")).isTrue();
    assertThat(hit.getDouble("upstream_ms")).isNull();
    assertThat(hit.getInteger("prompt_tokens")).isEqualTo(11);

    JsonObject stream = logged("req-stream");
    assertThat(stream.getBoolean("stream")).isTrue();
    assertThat(stream.getInteger("status")).isEqualTo(200);
    assertThat(stream.getDouble("ttft_ms")).isPositive().isLessThanOrEqualTo(stream.getDouble("latency_ms"));
    assertThat(stream.getDouble("upstream_ms")).isPositive();
    assertThat(stream.getInteger("completion_tokens")).isEqualTo(7);
    assertThat(stream.getString("response_body")).contains("logged answer");

    JsonObject error = logged("req-error");
    assertThat(error.getInteger("status")).isEqualTo(400);
    assertThat(error.getString("error_type")).isEqualTo("invalid_request_error");
    assertThat(error.getString("error_message")).contains("upstream refused it");

    JsonObject unknown = logged("req-unknown");
    assertThat(unknown.getInteger("status")).isEqualTo(404);
    assertThat(unknown.getString("provider")).isNull();

    JsonObject badJson = logged("req-bad-json");
    assertThat(badJson.getInteger("status")).isEqualTo(400);
    assertThat(badJson.getString("dialect")).isEqualTo("chat_completions");
    assertThat(badJson.getString("error_message")).contains("not valid JSON");

    assertThat(LogDatabase.count(fixture.gateway().logFile(), "request_id IN ('req-ok', 'req-hit', 'req-stream',"
        + " 'req-error', 'req-unknown', 'req-bad-json')")).isEqualTo(6);
    assertThat(http.get("/v1/logs/no-such-request").status()).isEqualTo(404);
  }

  @Test
  void listingsFilterAndPage() {
    String model = "openai:list-" + UUID.randomUUID();
    for (int i = 0; i < 5; i++) {
      post("list-" + i + "-" + model, chat(model, "page " + i, false).put("cache", false));
    }
    await().until(() -> LogDatabase.count(fixture.gateway().logFile(), "model = ?", model) == 5);
    List<String> seen = new ArrayList<>();
    String path = "/v1/logs?limit=2&model=" + model;
    JsonObject page = http.get(path).json();
    while (true) {
      page.getJsonArray("data").forEach(row -> seen.add(((JsonObject) row).getString("request_id")));
      if (!page.getBoolean("has_more")) {
        break;
      }
      page = http.get(path + "&before=" + page.getLong("next_before")).json();
    }
    assertThat(seen).hasSize(5).startsWith("list-4-" + model).endsWith("list-0-" + model);
    assertThat(http.get("/v1/logs?model=" + model + "&status=error").json().getJsonArray("data")).isEmpty();
    assertThat(http.get("/v1/logs?since=2000-01-01T00:00:00Z&until=2000-01-02T00:00:00Z").json()
        .getJsonArray("data")).isEmpty();
    assertThat(http.get("/v1/logs?limit=0").error().getString("param")).isEqualTo("limit");
    assertThat(http.get("/v1/logs?since=yesterday").error().getString("param")).isEqualTo("since");
  }

  @Test
  void analyticsMatchTheRows() {
    String model = "openai:usage-" + UUID.randomUUID();
    for (int i = 0; i < 7; i++) {
      post(null, chat(model, "usage " + i, false).put("cache", false));
    }
    upstream.reply(Reply.error(429, "rate_limit_error", "slow down", "60"));
    post(null, chat(model, "usage limited", false).put("cache", false));
    post(null, chat(model, "usage limited", false).put("cache", false));
    await().until(() -> LogDatabase.count(fixture.gateway().logFile(), "model = ?", model) == 9);

    JsonObject group = http.get("/v1/analytics/usage?group_by=model&model=" + model).json()
        .getJsonArray("data").getJsonObject(0);
    List<Map<String, Object>> rows = LogDatabase.rows(fixture.gateway().logFile(),
        "SELECT status, prompt_tokens, completion_tokens, latency_ms FROM requests WHERE model = ?", model);
    List<Double> latencies = rows.stream().map(row -> ((Number) row.get("latency_ms")).doubleValue())
        .sorted(Comparator.naturalOrder()).toList();
    long prompt = rows.stream().mapToLong(row -> row.get("prompt_tokens") == null ? 0
        : ((Number) row.get("prompt_tokens")).longValue()).sum();

    assertThat(group.getString("group")).isEqualTo(model);
    assertThat(group.getLong("requests")).isEqualTo(9);
    assertThat(group.getLong("errors")).isEqualTo(2);
    assertThat(group.getDouble("error_rate")).isCloseTo(2 / 9.0, within(1e-9));
    assertThat(group.getLong("prompt_tokens")).isEqualTo(prompt).isEqualTo(77);
    assertThat(group.getLong("completion_tokens")).isEqualTo(49);
    assertThat(group.getDouble("cache_hit_rate")).isZero();
    // Nearest rank: the 5th and the 9th of 9 latencies (JDBC reads them back as floats).
    assertThat(group.getJsonObject("latency_ms").getDouble("p50")).isCloseTo(latencies.get(4), within(1e-3));
    assertThat(group.getJsonObject("latency_ms").getDouble("p95")).isCloseTo(latencies.get(8), within(1e-3));

    JsonArray days = http.get("/v1/analytics/usage?group_by=day&model=" + model).json().getJsonArray("data");
    assertThat(days).hasSize(1);
    assertThat(days.getJsonObject(0).getString("group")).matches("\\d{4}-\\d{2}-\\d{2}");
    assertThat(http.get("/v1/analytics/usage?group_by=week").error().getString("param")).isEqualTo("group_by");
  }

  private static void post(String requestId, JsonObject body) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (requestId != null) {
      headers.add("x-request-id", requestId);
    }
    http.send(HttpMethod.POST, "/v1/chat/completions", body.encode(), headers);
  }

  private static JsonObject logged(String requestId) {
    await().until(() -> http.get("/v1/logs/" + requestId).status() == 200);
    return http.get("/v1/logs/" + requestId).json();
  }

  private static JsonObject chat(String model, String prompt, boolean stream) {
    return new JsonObject().put("model", model).put("stream", stream)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", prompt)));
  }
}
