package io.lmbridge.service;

import io.lmbridge.testkit.GatewayFixture;
import io.lmbridge.testkit.Http;
import io.lmbridge.testkit.OpenAiUpstream;
import io.lmbridge.testkit.OpenAiUpstream.Reply;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The status endpoint's parts, and stopping requests in flight: the clients get a proper end. */
class ServiceControlTest {

  private static GatewayFixture fixture;
  private static OpenAiUpstream upstream;
  private static Http http;
  private static HttpClient client;

  @BeforeAll
  static void start() {
    fixture = GatewayFixture.start();
    upstream = fixture.upstream();
    http = fixture.http();
    client = fixture.vertx().createHttpClient();
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @Test
  void stoppingEverythingEndsALongStreamWithAnErrorEventAndCancelsTheUpstream() {
    upstream.reply(Reply.text("one two three four five six seven eight nine ten eleven twelve").delayed(300));
    int disconnects = upstream.disconnects();
    Future<String> stream = send("stream-to-stop", chat(true));
    await().until(() -> inFlight() == 1);
    await().until(() -> upstream.received().size() > 0);

    JsonObject stopped = http.post("/v1/service/stop", "").json();

    assertThat(stopped.getInteger("stopped")).isEqualTo(1);
    String body = stream.await();
    assertThat(body).contains("\"code\":\"request_stopped\"").doesNotContain("[DONE]");
    await().until(() -> upstream.disconnects() == disconnects + 1);
    await().until(() -> inFlight() == 0);
  }

  @Test
  void stoppingOneRequestLeavesTheOthers() {
    upstream.reply(Reply.text("slow answer").delayed(1500));
    Future<String> doomed = send("doomed", chat(false));
    Future<String> spared = send("spared", chat(false));
    await().until(() -> inFlight() == 2);

    Http.Reply stopped = http.post("/v1/service/stop", new JsonObject().put("request_id", "doomed"));

    assertThat(stopped.json().getInteger("stopped")).isEqualTo(1);
    assertThat(new JsonObject(doomed.await()).getJsonObject("error").getString("code")).isEqualTo("request_stopped");
    assertThat(new JsonObject(spared.await()).getJsonArray("choices").getJsonObject(0).getJsonObject("message")
        .getString("content")).isEqualTo("slow answer");
    Http.Reply unknown = http.post("/v1/service/stop", new JsonObject().put("request_id", "doomed"));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.error().getString("param")).isEqualTo("request_id");
  }

  @Test
  void statusReportsEveryPart() {
    JsonObject status = http.get("/v1/service/status").json();
    assertThat(status.getString("status")).isEqualTo("ok");
    assertThat(status.getLong("uptime_seconds")).isNotNegative();
    assertThat(status.getString("version")).isNotBlank();
    assertThat(status.getJsonArray("models")).isEmpty();
    assertThat(status.getJsonObject("cache").fieldNames()).contains("enabled", "entries", "hits", "misses", "bytes");
    assertThat(status.getJsonObject("request_log").fieldNames())
        .contains("path", "rows_written", "rows_queued", "rows_dropped", "last_error");
    assertThat(status.getJsonArray("providers").getJsonObject(0).fieldNames()).doesNotContain("api_key");
    assertThat(status.encode()).doesNotContain(GatewayFixture.KEY);
  }

  private static long inFlight() {
    return http.get("/v1/service/status").json().getLong("in_flight");
  }

  private static Future<String> send(String requestId, JsonObject body) {
    return client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
            .setPort(fixture.gateway().port()).setURI("/v1/chat/completions")
            .setHeaders(MultiMap.caseInsensitiveMultiMap().add("x-request-id", requestId)))
        .compose(request -> request.send(body.encode()))
        .compose(response -> response.body().map(Object::toString));
  }

  private static JsonObject chat(boolean stream) {
    return new JsonObject().put("model", "openai:gpt-4o").put("stream", stream)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "go on")));
  }
}
