package io.lmbridge.config;

import io.lmbridge.testkit.Http;
import io.lmbridge.testkit.OpenAiUpstream;
import io.lmbridge.testkit.OpenAiUpstream.Reply;
import io.lmbridge.testkit.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Editing the config files changes what the next request does, without a restart. */
class HotReloadTest {

  private Vertx vertx;
  private OpenAiUpstream upstream;
  private TestGateway gateway;
  private Http http;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    upstream = OpenAiUpstream.start(vertx, "sk-new").await();
    gateway = TestGateway.start(json("openai:gpt-4o-mini"), "OPENAI_API_KEY=sk-old\n");
    http = new Http(vertx, gateway.port());
  }

  @AfterEach
  void stop() {
    gateway.close();
    vertx.close().await();
  }

  private JsonObject json(String fastTarget) {
    return new JsonObject()
        .put("server", new JsonObject().put("port", 0).put("instances", 1))
        .put("providers", new JsonObject().put("openai", new JsonObject().put("base_url", upstream.baseUrl())))
        .put("aliases", new JsonObject().put("fast", fastTarget));
  }

  private Http.Reply ask(String model) {
    return http.post("/v1/chat/completions", new JsonObject().put("model", model)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))));
  }

  @Test
  void aChangedKeyAndAliasApplyToTheNextRequest() {
    assertThat(ask("fast").status()).isEqualTo(401);
    assertThat(upstream.last().body().getString("model")).isEqualTo("gpt-4o-mini");

    gateway.write(gateway.envFile(), "OPENAI_API_KEY=sk-new\n");
    gateway.write(gateway.jsonFile(), json("openai:gpt-4.1").encodePrettily());

    await().atMost(Duration.ofSeconds(3)).until(() -> ask("fast").status() == 200);
    assertThat(upstream.last().body().getString("model")).isEqualTo("gpt-4.1");
    assertThat(upstream.last().headers().get("Authorization")).isEqualTo("Bearer sk-new");
  }

  @Test
  void providersComeAndGoWithTheFile() {
    assertThat(ask("extra:model-x").status()).isEqualTo(404);
    JsonObject withExtra = json("openai:gpt-4o-mini");
    withExtra.getJsonObject("providers").put("extra", new JsonObject().put("base_url", upstream.baseUrl()));
    gateway.write(gateway.envFile(), "EXTRA_API_KEY=sk-new\n");
    gateway.write(gateway.jsonFile(), withExtra.encodePrettily());
    await().atMost(Duration.ofSeconds(3)).until(() -> ask("extra:model-x").status() == 200);
    assertThat(upstream.last().body().getString("model")).isEqualTo("model-x");

    gateway.write(gateway.jsonFile(), json("openai:gpt-4o-mini").encodePrettily());
    await().atMost(Duration.ofSeconds(3)).until(() -> ask("extra:model-x").status() == 404);
  }

  @Test
  void aBrokenFileKeepsTheRunningConfigAndShowsTheError() {
    gateway.write(gateway.envFile(), "OPENAI_API_KEY=sk-new\n");
    await().atMost(Duration.ofSeconds(3)).until(() -> ask("fast").status() == 200);

    gateway.write(gateway.jsonFile(), "{\"server\": {\"port\": \"not a number\"}}");
    await().atMost(Duration.ofSeconds(3)).until(() -> status().getString("last_error") != null);
    assertThat(status().getString("last_error")).contains(gateway.jsonFile().toString()).contains("server.port");
    assertThat(ask("fast").status()).isEqualTo(200);

    gateway.write(gateway.jsonFile(), "{ not json");
    await().atMost(Duration.ofSeconds(3))
        .until(() -> status().getString("last_error").contains("is not valid JSON: Unexpected character"));
    assertThat(ask("fast").status()).isEqualTo(200);

    gateway.write(gateway.jsonFile(), json("openai:gpt-4o").encodePrettily());
    await().atMost(Duration.ofSeconds(3)).until(() -> status().getValue("last_error") == null);
    assertThat(ask("fast").status()).isEqualTo(200);
    assertThat(upstream.last().body().getString("model")).isEqualTo("gpt-4o");
  }

  @Test
  void aBindAddressChangeIsReportedAsNeedingARestart() {
    JsonObject moved = json("openai:gpt-4o-mini");
    moved.getJsonObject("server").put("port", 1);
    gateway.write(gateway.jsonFile(), moved.encodePrettily());
    await().atMost(Duration.ofSeconds(3)).until(() -> status().getJsonArray("restart_required").contains("server"));
    assertThat(http.get("/health").status()).isEqualTo(200);
  }

  @Test
  void aReloadDoesNotDropAStreamInFlight() {
    gateway.write(gateway.envFile(), "OPENAI_API_KEY=sk-new\n");
    await().atMost(Duration.ofSeconds(3)).until(() -> ask("fast").status() == 200);
    upstream.reply(Reply.text("one two three four five six seven eight").delayed(100));
    CompletableFuture<Http.Reply> stream = CompletableFuture.supplyAsync(() -> http.post("/v1/chat/completions", new JsonObject()
        .put("model", "fast").put("stream", true)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")))));
    await().atMost(Duration.ofSeconds(3)).until(() -> status(http).getLong("in_flight") == 1);

    gateway.write(gateway.jsonFile(), json("openai:gpt-4.1").encodePrettily());
    gateway.write(gateway.envFile(), "OPENAI_API_KEY=sk-rotated\n");
    Http.Reply reply = stream.join();
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.events().get(reply.events().size() - 1)[1]).isEqualTo("[DONE]");
    assertThat(reply.body().toString()).contains("eight");
    await().atMost(Duration.ofSeconds(3)).until(() -> ask("fast").status() == 401);
  }

  private JsonObject status() {
    return status(http).getJsonObject("config");
  }

  private static JsonObject status(Http http) {
    return http.get("/v1/service/status").json();
  }
}
