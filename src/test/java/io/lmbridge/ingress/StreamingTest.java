package io.lmbridge.ingress;

import io.lmbridge.testkit.Http;
import io.lmbridge.testkit.OpenAiUpstream;
import io.lmbridge.testkit.OpenAiUpstream.Reply;
import io.lmbridge.testkit.GatewayFixture;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Stream behaviour an SDK would hide: framing, failures inside a started stream, disconnects. */
class StreamingTest {

  private static GatewayFixture fixture;
  private static OpenAiUpstream upstream;
  private static Http http;

  @BeforeAll
  static void start() {
    fixture = GatewayFixture.start();
    upstream = fixture.upstream();
    http = fixture.http();
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @BeforeEach
  void reset() {
    upstream.reply(Reply.text("alpha beta gamma"));
  }

  private static JsonObject body(boolean stream) {
    return new JsonObject().put("model", "openai:gpt-4o").put("stream", stream)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "go")));
  }

  @Test
  void chatStreamIsWellFramedAndEndsWithDone() {
    Http.Reply reply = http.post("/v1/chat/completions", body(true));
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.headers().get("Content-Type")).startsWith("text/event-stream");
    List<String[]> events = reply.events();
    assertThat(events.get(events.size() - 1)[1]).isEqualTo("[DONE]");
    StringBuilder text = new StringBuilder();
    for (String[] event : events.subList(0, events.size() - 1)) {
      JsonObject chunk = new JsonObject(event[1]);
      assertThat(chunk.getString("object")).isEqualTo("chat.completion.chunk");
      assertThat(chunk.containsKey("usage")).isFalse();
      chunk.getJsonArray("choices").forEach(choice -> {
        String content = ((JsonObject) choice).getJsonObject("delta").getString("content");
        text.append(content == null ? "" : content);
      });
    }
    assertThat(text).hasToString("alpha beta gamma");
    assertThat(new JsonObject(events.get(0)[1]).getJsonArray("choices").getJsonObject(0)
        .getJsonObject("delta").getString("role")).isEqualTo("assistant");
  }

  @Test
  void upstreamErrorBeforeTheStreamIsAnHttpStatus() {
    upstream.reply(Reply.error(503, "server_error", "The engine is currently overloaded", "3"));
    Http.Reply reply = http.post("/v1/chat/completions", body(true));
    assertThat(reply.status()).isEqualTo(503);
    assertThat(reply.headers().get("Retry-After")).isEqualTo("3");
    assertThat(reply.error().getString("message")).contains("The engine is currently overloaded");
  }

  @Test
  void failureInsideAStartedStreamIsAnErrorEventAndTheStreamEnds() {
    upstream.reply(Reply.text("partial answer").failingMidStream());
    Http.Reply chat = http.post("/v1/chat/completions", body(true));
    assertThat(chat.status()).isEqualTo(200);
    String[] last = chat.events().get(chat.events().size() - 1);
    assertThat(new JsonObject(last[1]).getJsonObject("error").getString("message"))
        .contains("The server had an error");

    Http.Reply responses = http.post("/v1/responses", new JsonObject().put("model", "openai:gpt-4o")
        .put("input", "go").put("stream", true));
    List<String[]> events = responses.events();
    assertThat(events.get(events.size() - 2)[0]).isEqualTo("error");
    assertThat(events.get(events.size() - 1)[0]).isEqualTo("response.failed");
    assertThat(new JsonObject(events.get(events.size() - 1)[1]).getJsonObject("response").getString("status"))
        .isEqualTo("failed");
  }

  @Test
  void clientDisconnectCancelsTheUpstreamStream() {
    upstream.reply(Reply.text("word ".repeat(200)).delayed(20));
    int before = upstream.disconnects();
    HttpClient client = fixture.vertx().createHttpClient();
    client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(fixture.gateway().port())
            .setURI("/v1/chat/completions"))
        .compose(request -> request.send(body(true).toBuffer()).compose(response -> {
          assertThat(response.statusCode()).isEqualTo(200);
          // Read a little of the stream, then hang up mid-answer.
          response.handler(bytes -> request.connection().close());
          return io.vertx.core.Future.succeededFuture();
        }))
        .await();
    await().atMost(5, TimeUnit.SECONDS).until(() -> upstream.disconnects() > before);
    await().atMost(5, TimeUnit.SECONDS).until(() -> http.get("/v1/service/status").json().getLong("in_flight") == 0);
  }

  @Test
  void messagesFormStreamsTheOriginalEvents() {
    Http.Reply reply = http.post("/v1/responses", body(true));
    List<String[]> events = reply.events();
    assertThat(events.get(0)[0]).isEqualTo("response.start");
    assertThat(events.get(events.size() - 1)[0]).isEqualTo("response.done");
    StringBuilder text = new StringBuilder();
    events.stream().filter(event -> "content.delta".equals(event[0]))
        .forEach(event -> text.append(new JsonObject(event[1]).getJsonObject("delta").getString("text")));
    assertThat(text).hasToString("alpha beta gamma");
    JsonObject done = new JsonObject(events.get(events.size() - 1)[1]).getJsonObject("response");
    assertThat(done.getString("object")).isEqualTo("response");
    assertThat(done.getString("id")).startsWith("resp_");
    assertThat(done.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content"))
        .isEqualTo("alpha beta gamma");
    assertThat(done.getJsonObject("usage").getInteger("total_tokens")).isEqualTo(18);
  }

  @Test
  void messagesFormWithoutStreaming() {
    JsonObject reply = http.post("/v1/responses", body(false)).json();
    assertThat(reply.getString("object")).isEqualTo("response");
    assertThat(reply.getString("id")).startsWith("resp_");
    assertThat(reply.getLong("created")).isPositive();
    assertThat(reply.getString("model")).isEqualTo("openai:gpt-4o");
    JsonObject choice = reply.getJsonArray("choices").getJsonObject(0);
    assertThat(choice.getInteger("index")).isZero();
    assertThat(choice.getString("finish_reason")).isEqualTo("stop");
    assertThat(choice.getJsonObject("message").getString("content")).isEqualTo("alpha beta gamma");
  }
}
