package io.lmbridge.ingress;

import io.lmbridge.testkit.GatewayFixture;
import io.lmbridge.testkit.Http;
import io.lmbridge.testkit.OpenAiUpstream;
import io.lmbridge.testkit.TestGateway;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Every bad request gets OpenAI's error shape with the right status; none reaches the upstream. */
class BadInputTest {

  private static GatewayFixture fixture;
  private static OpenAiUpstream upstream;
  private static Http http;

  @BeforeAll
  static void start() {
    fixture = GatewayFixture.start(mock -> TestGateway.start(new JsonObject()
            .put("server", new JsonObject().put("max_body_bytes", 4096))
            .put("providers", new JsonObject()
                .put("openai", new JsonObject().put("base_url", mock.baseUrl()))
                .put("nokey", new JsonObject().put("base_url", mock.baseUrl()))),
        "OPENAI_API_KEY=" + GatewayFixture.KEY + "\n"));
    upstream = fixture.upstream();
    http = fixture.http();
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static JsonObject chat(String model) {
    return new JsonObject().put("model", model)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));
  }

  private static void assertError(Http.Reply reply, int status, String type, String messagePart) {
    assertThat(reply.status()).isEqualTo(status);
    assertThat(reply.headers().get("Content-Type")).startsWith("application/json");
    JsonObject error = reply.error();
    assertThat(error.fieldNames()).containsExactlyInAnyOrder("message", "type", "param", "code");
    assertThat(error.getString("type")).isEqualTo(type);
    assertThat(error.getString("message")).contains(messagePart);
  }

  @Test
  void malformedJson() {
    Http.Reply truncated = http.post("/v1/chat/completions", "{\"model\": ");
    assertError(truncated, 400, "invalid_request_error", "not valid JSON: Unexpected end-of-input");
    assertThat(truncated.error().getString("message")).doesNotContain("Source", "Failed to decode");
    Http.Reply misplaced = http.post("/v1/chat/completions", "{\"model\": \"a\",\n \"messages\": ]}");
    assertError(misplaced, 400, "invalid_request_error", "Unexpected character (']' (code 93))");
    assertThat(misplaced.error().getString("message")).endsWith(" at line 2, column 14");
    assertError(http.post("/v1/chat/completions", "[1,2]"), 400, "invalid_request_error", "must be a JSON object");
    assertError(http.post("/v1/chat/completions", ""), 400, "invalid_request_error", "empty");
  }

  @Test
  void missingAndMistypedFields() {
    Http.Reply noModel = http.post("/v1/chat/completions", chat("x").copy().put("model", (String) null));
    assertError(noModel, 400, "invalid_request_error", "model");
    assertThat(noModel.error().getString("param")).isEqualTo("model");

    Http.Reply noMessages = http.post("/v1/chat/completions", new JsonObject().put("model", "openai:gpt-4o"));
    assertError(noMessages, 400, "invalid_request_error", "messages");

    Http.Reply badTemperature = http.post("/v1/chat/completions", chat("openai:gpt-4o").put("temperature", "hot"));
    assertError(badTemperature, 400, "invalid_request_error", "expected a number");
    assertThat(badTemperature.error().getString("param")).isEqualTo("temperature");

    Http.Reply outOfRange = http.post("/v1/chat/completions", chat("openai:gpt-4o").put("temperature", 7));
    assertError(outOfRange, 400, "invalid_request_error", "between 0.0 and 2.0");

    Http.Reply huge = http.post("/v1/chat/completions", chat("openai:gpt-4o").put("max_tokens", 1e30));
    assertError(huge, 400, "invalid_request_error", "max_tokens: expected an integer within 64 bits, got 1.0E30");
    Http.Reply overInt = http.post("/v1/chat/completions", chat("openai:gpt-4o").put("max_tokens", 1L << 40));
    assertError(overInt, 400, "invalid_request_error",
        "max_tokens: must be at most 2147483647, got " + (1L << 40));

    Http.Reply alternativesAlone = http.post("/v1/chat/completions", chat("openai:gpt-4o").put("top_logprobs", 2));
    assertError(alternativesAlone, 400, "invalid_request_error", "top_logprobs: requires logprobs to be true");
    Http.Reply tooManyAlternatives = http.post("/v1/chat/completions", chat("openai:gpt-4o").put("logprobs", true)
        .put("top_logprobs", 21));
    assertError(tooManyAlternatives, 400, "invalid_request_error", "top_logprobs: must be at most 20, got 21");

    Http.Reply badContent = http.post("/v1/chat/completions", chat("openai:gpt-4o").put("messages",
        new JsonArray().add(new JsonObject().put("role", "user").put("content", 42))));
    assertError(badContent, 400, "invalid_request_error", "messages[0].content");
  }

  @Test
  void unknownRole() {
    Http.Reply reply = http.post("/v1/chat/completions", chat("openai:gpt-4o").put("messages",
        new JsonArray().add(new JsonObject().put("role", "robot").put("content", "beep"))));
    assertError(reply, 400, "invalid_request_error", "unknown role 'robot'");
    assertThat(reply.error().getString("param")).isEqualTo("messages[0].role");
  }

  @Test
  void bodyOverTheLimit() {
    String big = "x".repeat(8000);
    Http.Reply reply = http.post("/v1/chat/completions", chat("openai:gpt-4o").put("messages",
        new JsonArray().add(new JsonObject().put("role", "user").put("content", big))));
    assertError(reply, 413, "invalid_request_error", "larger than the limit of 4096 bytes");
  }

  @Test
  void unknownRouteAndMethod() {
    Http.Reply notFound = http.post("/v1/nothing/here", "{}");
    assertError(notFound, 404, "invalid_request_error", "POST /v1/nothing/here");
    Http.Reply unknownGet = http.get("/v1/nothing/here");
    assertError(unknownGet, 404, "invalid_request_error", "GET /v1/nothing/here");
    Http.Reply wrongMethod = http.send(HttpMethod.DELETE, "/v1/chat/completions", null,
        MultiMap.caseInsensitiveMultiMap());
    assertError(wrongMethod, 405, "invalid_request_error", "DELETE is not allowed on /v1/chat/completions");
  }

  @Test
  void unknownProviderOrBareModel() {
    int before = upstream.received().size();
    Http.Reply unknown = http.post("/v1/chat/completions", chat("mystery:model-1"));
    assertError(unknown, 404, "invalid_request_error", "unknown provider 'mystery'");
    assertThat(unknown.error().getString("code")).isEqualTo("model_not_found");

    Http.Reply empty = http.post("/v1/chat/completions", chat("openai:"));
    assertError(empty, 400, "invalid_request_error", "empty model name");
    assertThat(upstream.received()).hasSize(before);
  }

  @Test
  void localModelsWhenTheNodeServesNoneSayWhatToSet() {
    for (Http.Reply reply : List.of(http.post("/v1/chat/completions", chat("lmbridge:phi-4-mini")),
        http.post("/v1/chat/completions", chat("lmbridge:phi-4-mini").put("stream", true)),
        http.post("/v1/llama/models/load", new JsonObject().put("model", "phi-4-mini")))) {
      assertError(reply, 404, "invalid_request_error", "this gateway serves no local models: llama.enabled is false");
      assertThat(reply.error().getString("code")).isEqualTo("local_models_off");
    }
  }

  @Test
  void providerWithoutKeyNamesTheVariable() {
    Http.Reply reply = http.post("/v1/chat/completions", chat("nokey:some-model"));
    assertError(reply, 401, "authentication_error", "NOKEY_API_KEY");
    Http.Reply streamed = http.post("/v1/chat/completions", chat("nokey:some-model").put("stream", true));
    assertError(streamed, 401, "authentication_error", "NOKEY_API_KEY");
  }

  @Test
  void responsesWithNeitherInputNorMessages() {
    assertError(http.post("/v1/responses", new JsonObject().put("model", "openai:gpt-4o")), 400,
        "invalid_request_error", "input");
    assertError(http.post("/v1/responses", new JsonObject().put("model", "openai:gpt-4o")
        .put("input", "hi").put("previous_response_id", "resp_1")), 400, "invalid_request_error", "conversation");
  }

  @Test
  void requestIdIsEchoedOrMinted() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("x-request-id", "trace-123");
    Http.Reply echoed = http.send(HttpMethod.POST, "/v1/chat/completions", chat("openai:gpt-4o").encode(), headers);
    assertThat(echoed.status()).isEqualTo(200);
    assertThat(echoed.headers().get("x-request-id")).isEqualTo("trace-123");
    Http.Reply minted = http.post("/v1/chat/completions", "{");
    assertThat(minted.headers().get("x-request-id")).matches("[0-9a-f]{24}");
    String later = http.get("/health").headers().get("x-request-id");
    // Minted ids sort by time: the request log's index on them grows at its end.
    assertThat(later.substring(0, 12)).isGreaterThanOrEqualTo(minted.headers().get("x-request-id").substring(0, 12));
    assertThat(Long.parseLong(later.substring(0, 12), 16)).isCloseTo(System.currentTimeMillis(),
        within(60_000L));
  }
}
