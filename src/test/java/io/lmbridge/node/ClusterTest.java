package io.lmbridge.node;

import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.lmbridge.testkit.Http;
import io.lmbridge.testkit.OpenAiUpstream;
import io.lmbridge.testkit.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two nodes on loopback form a Hazelcast cluster and serve each other's requests over the event bus. */
class ClusterTest {

  private static JsonObject clusterConfig(OpenAiUpstream upstream, int firstPort) {
    JsonArray members = new JsonArray();
    for (int port = firstPort; port < firstPort + 3; port++) {
      members.add("127.0.0.1:" + port);
    }
    return new JsonObject()
        .put("providers", new JsonObject().put("openai", new JsonObject().put("base_url", upstream.baseUrl())))
        .put("cluster", new JsonObject()
            .put("enabled", true)
            .put("name", "lmbridge-test-" + UUID.randomUUID())
            .put("host", "127.0.0.1")
            .put("port", firstPort)
            .put("members", members));
  }

  @Test
  void aRequestEnteringOneNodeIsAnsweredByTheAdapterOnTheOther() {
    Vertx vertx = Vertx.vertx();
    OpenAiUpstream upstream = OpenAiUpstream.start(vertx, "sk-test").await();
    JsonObject config = clusterConfig(upstream, 15701);
    try (TestGateway adapters = TestGateway.start(config, "OPENAI_API_KEY=sk-test\n", EnumSet.of(Role.PROVIDERS));
         TestGateway ingress = TestGateway.start(config, "OPENAI_API_KEY=sk-test\n", EnumSet.of(Role.INGRESS))) {
      assertThat(adapters.port()).isEqualTo(-1);

      ChatCompletion completion = ingress.openAi().chat().completions().create(ChatCompletionCreateParams.builder()
          .model("openai:gpt-4o").addUserMessage("across the cluster").build());
      assertThat(completion.choices().get(0).message().content()).contains("Hello from the upstream");
      assertThat(upstream.last().body().getJsonArray("messages").getJsonObject(0).getString("content"))
          .isEqualTo("across the cluster");

      Http http = new Http(vertx, ingress.port());
      Http.Reply streamed = http.post("/v1/chat/completions", new JsonObject().put("model", "openai:gpt-4o")
          .put("stream", true)
          .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "stream"))));
      assertThat(streamed.events().get(streamed.events().size() - 1)[1]).isEqualTo("[DONE]");
      assertThat(streamed.body().toString()).contains("upstream");

      JsonObject cluster = http.get("/v1/service/status").json().getJsonObject("cluster");
      assertThat(cluster.getBoolean("enabled")).isTrue();
      assertThat(cluster.getJsonArray("members")).hasSize(2);
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void anAnswerCachedByOneNodeIsAHitOnTheOther() {
    Vertx vertx = Vertx.vertx();
    OpenAiUpstream upstream = OpenAiUpstream.start(vertx, "sk-test").await();
    JsonObject config = clusterConfig(upstream, 15711).put("cache", new JsonObject().put("enabled", true));
    try (TestGateway first = TestGateway.start(config, "OPENAI_API_KEY=sk-test\n");
         TestGateway second = TestGateway.start(config, "OPENAI_API_KEY=sk-test\n")) {
      JsonObject request = new JsonObject().put("model", "openai:gpt-4o")
          .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "shared")));
      Http firstNode = new Http(vertx, first.port());
      Http.Reply miss = firstNode.post("/v1/chat/completions", request);
      // The store is written after the answer went out; wait until the shared map has it.
      await().until(() -> firstNode.get("/v1/service/status").json().getJsonObject("cache").getInteger("entries") == 1);
      Http secondNode = new Http(vertx, second.port());
      Http.Reply hit = secondNode.post("/v1/chat/completions", request);

      assertThat(miss.headers().get("x-lmbridge-cache")).isEqualTo("miss");
      assertThat(hit.headers().get("x-lmbridge-cache")).isEqualTo("hit");
      assertThat(hit.json().getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content"))
          .isEqualTo("Hello from the upstream");
      assertThat(upstream.received()).hasSize(1);
      JsonObject cache = secondNode.get("/v1/service/status").json().getJsonObject("cache");
      assertThat(cache.getBoolean("shared")).isTrue();
      assertThat(cache.getInteger("entries")).isEqualTo(1);
      assertThat(cache.getLong("hits")).isEqualTo(1);
    } finally {
      vertx.close().await();
    }
  }
}
