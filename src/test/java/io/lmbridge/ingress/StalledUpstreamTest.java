package io.lmbridge.ingress;

import io.lmbridge.testkit.GatewayFixture;
import io.lmbridge.testkit.Http;
import io.lmbridge.testkit.OpenAiUpstream.Reply;
import io.lmbridge.testkit.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** An upstream that goes silent fails the request after the idle timeout: nothing hangs. */
class StalledUpstreamTest {

  @Test
  void aSilentStreamEndsWithAnErrorEventAndASilentAnswerWithAnError() {
    try (GatewayFixture fixture = GatewayFixture.start(mock -> TestGateway.start(new JsonObject()
            .put("timeouts", new JsonObject().put("stream_idle_seconds", 1).put("request_seconds", 2))
            .put("providers", new JsonObject().put("openai", new JsonObject().put("base_url", mock.baseUrl()))),
        "OPENAI_API_KEY=" + GatewayFixture.KEY + "\n"))) {
      fixture.upstream().reply(Reply.text("first then silence").delayed(4000));
      JsonObject body = new JsonObject().put("model", "openai:gpt-4o").put("stream", true)
          .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));

      long started = System.nanoTime();
      Http.Reply streamed = fixture.http().post("/v1/chat/completions", body);
      assertThat(streamed.status()).isEqualTo(200);
      List<String[]> events = streamed.events();
      JsonObject last = new JsonObject(events.get(events.size() - 1)[1]);
      assertThat(last.getJsonObject("error").getString("message")).isNotBlank();
      assertThat(streamed.body().toString()).doesNotContain("[DONE]");

      Http.Reply whole = fixture.http().post("/v1/chat/completions", body.copy().put("stream", false));
      assertThat(whole.status()).isIn(502, 504);
      assertThat(whole.error().getString("message")).isNotBlank();
      assertThat((System.nanoTime() - started) / 1_000_000_000).isLessThan(8);
    }
  }
}
