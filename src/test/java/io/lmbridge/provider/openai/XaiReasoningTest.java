package io.lmbridge.provider.openai;

import com.openai.client.OpenAIClient;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import io.lmbridge.testkit.GatewayFixture;
import io.lmbridge.testkit.Http;
import io.lmbridge.testkit.OpenAiUpstream.Reply;
import io.lmbridge.testkit.SdkResponseStream;
import io.lmbridge.testkit.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** An xAI reasoning model's reasoning text and reasoning token count reach clients of every dialect. */
class XaiReasoningTest {

  private static GatewayFixture fixture;
  private static OpenAIClient client;

  @BeforeAll
  static void start() {
    fixture = GatewayFixture.start(upstream -> TestGateway.start(new JsonObject().put("providers", new JsonObject()
            .put("xai", new JsonObject().put("base_url", upstream.baseUrl()))),
        "XAI_API_KEY=" + GatewayFixture.KEY + "\n"));
    fixture.upstream().reply(Reply.text("Forty-two.").withReasoning("Let me think."));
    client = fixture.gateway().openAi();
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @Test
  void chatStreamCarriesReasoningDeltasAndReasoningTokens() {
    Http.Reply reply = fixture.http().post("/v1/chat/completions", new JsonObject()
        .put("model", "xai:grok-4-fast-reasoning").put("stream", true)
        .put("stream_options", new JsonObject().put("include_usage", true))
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "meaning?"))));
    List<String[]> events = reply.events();
    assertThat(reply.body().toString()).contains("\"reasoning_content\":\"Let me think.\"");
    JsonObject usage = new JsonObject(events.get(events.size() - 2)[1]).getJsonObject("usage");
    assertThat(usage.getJsonObject("completion_tokens_details").getInteger("reasoning_tokens"))
        .isEqualTo(Reply.REASONING_TOKENS);
  }

  @Test
  void responsesReportAReasoningItemAndReasoningTokens() {
    ResponseCreateParams params = ResponseCreateParams.builder().model("xai:grok-4-fast-reasoning")
        .input("meaning?").build();
    Response created = client.responses().create(params);
    for (Response response : List.of(created, SdkResponseStream.read(client, params))) {
      response.validate();
      assertThat(response.output().get(0).asReasoning().content().orElseThrow().get(0).text())
          .isEqualTo("Let me think.");
      assertThat(response.usage().orElseThrow().outputTokensDetails().reasoningTokens())
          .isEqualTo(Reply.REASONING_TOKENS);
    }
  }
}
