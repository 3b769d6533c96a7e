package io.lmbridge.ingress;

import io.lmbridge.testkit.Http;
import io.lmbridge.testkit.OpenAiUpstream;
import io.lmbridge.testkit.OpenAiUpstream.Reply;
import io.lmbridge.testkit.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What clients send reaches OpenAI-compatible upstreams intact through the canonical model, and back. */
class TranslationTest {

  private static Vertx vertx;
  private static OpenAiUpstream openai;
  private static OpenAiUpstream xai;
  private static TestGateway gateway;
  private static Http http;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    openai = OpenAiUpstream.start(vertx, "sk-openai").await();
    xai = OpenAiUpstream.start(vertx, "xai-key").await();
    gateway = TestGateway.start(new JsonObject(), "OPENAI_API_KEY=sk-openai\nOPENAI_BASE_URL=" + openai.baseUrl()
        + "\nXAI_API_KEY=xai-key\nXAI_BASE_URL=" + xai.baseUrl() + "\n");
    http = new Http(vertx, gateway.port());
  }

  @AfterAll
  static void stop() {
    gateway.close();
    vertx.close().await();
  }

  @Test
  void everyChatFieldSurvivesTheCanonicalModel() {
    JsonObject schema = new JsonObject().put("type", "object")
        .put("properties", new JsonObject().put("city", new JsonObject().put("type", "string")));
    JsonObject request = new JsonObject()
        .put("model", "openai:gpt-4o")
        .put("messages", new JsonArray()
            .add(new JsonObject().put("role", "developer").put("content", "Answer in JSON."))
            .add(new JsonObject().put("role", "user").put("content", new JsonArray()
                .add(new JsonObject().put("type", "text").put("text", "Where is this?"))
                .add(new JsonObject().put("type", "image_url").put("image_url", new JsonObject()
                    .put("url", "data:image/png;base64,iVBORw0KGgo=").put("detail", "low"))))))
        .put("tools", new JsonArray().add(new JsonObject().put("type", "function").put("function", new JsonObject()
            .put("name", "locate").put("description", "Find a place").put("parameters", schema).put("strict", true))))
        .put("tool_choice", new JsonObject().put("type", "function").put("function", new JsonObject().put("name", "locate")))
        .put("parallel_tool_calls", false)
        .put("response_format", new JsonObject().put("type", "json_schema").put("json_schema", new JsonObject()
            .put("name", "place").put("schema", schema).put("strict", true)))
        .put("n", 2)
        .put("stop", new JsonArray().add("END").add("STOP"))
        .put("seed", 42)
        .put("max_tokens", 99)
        .put("top_p", 0.5)
        .put("presence_penalty", 0.1)
        .put("frequency_penalty", 0.2)
        .put("reasoning_effort", "low")
        .put("logprobs", true)
        .put("top_logprobs", 3)
        .put("user", "u-1")
        .put("logit_bias", new JsonObject().put("50256", -100))
        .put("service_tier", "flex");

    JsonObject reply = http.post("/v1/chat/completions", request).json();
    assertThat(reply.getJsonArray("choices")).hasSize(2);

    JsonObject sent = openai.last().body();
    for (String field : List.of("tools", "tool_choice", "parallel_tool_calls", "response_format", "n", "seed",
        "top_p", "presence_penalty", "frequency_penalty", "reasoning_effort", "logprobs", "top_logprobs", "user",
        "logit_bias", "service_tier")) {
      assertThat(sent.getValue(field)).as(field).isEqualTo(request.getValue(field));
    }
    assertThat(sent.getString("model")).isEqualTo("gpt-4o");
    assertThat(sent.getJsonArray("stop")).isEqualTo(request.getJsonArray("stop"));
    assertThat(sent.getInteger("max_completion_tokens")).isEqualTo(99);
    assertThat(sent.getJsonArray("messages")).isEqualTo(request.getJsonArray("messages").copy()
        .set(0, new JsonObject().put("role", "developer").put("content", "Answer in JSON.")));
  }

  @Test
  void xaiRoutesToItsOwnBaseUrlAndReasoningComesBack() {
    xai.reply(Reply.text("Forty-two.").withReasoning("Let me think about it."));
    JsonObject reply = http.post("/v1/chat/completions", new JsonObject().put("model", "xai:grok-4-fast")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "meaning?"))))
        .json();
    JsonObject message = reply.getJsonArray("choices").getJsonObject(0).getJsonObject("message");
    assertThat(message.getString("content")).isEqualTo("Forty-two.");
    assertThat(message.getString("reasoning_content")).isEqualTo("Let me think about it.");
    assertThat(xai.last().headers().get("Authorization")).isEqualTo("Bearer xai-key");
    assertThat(xai.last().body().getString("model")).isEqualTo("grok-4-fast");

    Http.Reply streamed = http.post("/v1/chat/completions", new JsonObject().put("model", "xai:grok-4-fast")
        .put("stream", true)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "meaning?"))));
    assertThat(streamed.body().toString()).contains("\"reasoning_content\":\"Let me think about it.\"");
  }

  @Test
  void streamEventsAreForwardedAsTheyArriveNotBuffered() {
    openai.reply(Reply.text("one two three four").delayed(250));
    List<Long> arrivals = new ArrayList<>();
    HttpClient client = vertx.createHttpClient();
    JsonObject body = new JsonObject().put("model", "openai:gpt-4o").put("stream", true)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "count")));
    client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(gateway.port())
            .setURI("/v1/chat/completions"))
        .compose(request -> request.send(body.toBuffer()).compose(response -> {
          response.handler(bytes -> {
            if (bytes.toString().contains("\"content\":\"")) {
              arrivals.add(System.nanoTime());
            }
          });
          return response.end();
        }))
        .await();
    // The upstream spaces its four words 250 ms apart; buffering would deliver them together.
    assertThat(arrivals).hasSizeGreaterThanOrEqualTo(4);
    assertThat((arrivals.get(arrivals.size() - 1) - arrivals.get(0)) / 1_000_000).isGreaterThan(500);
  }
}
