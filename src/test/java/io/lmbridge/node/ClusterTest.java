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

/** Two nodes on loopback form a Hazelcast cluster and serve each other's requests over the event bus. */
class ClusterTest {

  @Test
  void aRequestEnteringOneNodeIsAnsweredByTheAdapterOnTheOther() {
    Vertx vertx = Vertx.vertx();
    OpenAiUpstream upstream = OpenAiUpstream.start(vertx, "sk-test").await();
    JsonObject config = new JsonObject()
        .put("providers", new JsonObject().put("openai", new JsonObject().put("base_url", upstream.baseUrl())))
        .put("cluster", new JsonObject()
            .put("enabled", true)
            .put("name", "lmbridge-test-" + UUID.randomUUID())
            .put("host", "127.0.0.1")
            .put("port", 15701)
            .put("members", new JsonArray().add("127.0.0.1:15701").add("127.0.0.1:15702").add("127.0.0.1:15703")));
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
}
