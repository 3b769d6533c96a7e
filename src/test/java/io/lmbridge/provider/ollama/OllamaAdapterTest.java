package io.lmbridge.provider.ollama;

import com.openai.core.JsonValue;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.models.Model;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import io.lmbridge.testkit.Http;
import io.lmbridge.testkit.ImageServer;
import io.lmbridge.testkit.OllamaUpstream;
import io.lmbridge.testkit.ProviderGatewayTest;
import io.lmbridge.testkit.SdkResponseStream;
import io.lmbridge.testkit.SdkStream;
import io.lmbridge.testkit.UpstreamReply;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ollama:} models through every client dialect, against an Ollama upstream that checks its spec. */
class OllamaAdapterTest extends ProviderGatewayTest<OllamaUpstream> {

  @Override
  protected OllamaUpstream startUpstream(Vertx vertx) {
    return OllamaUpstream.start(vertx);
  }

  @Override
  protected JsonObject providers(OllamaUpstream upstream) {
    return new JsonObject()
        .put("ollama", new JsonObject().put("base_url", upstream.baseUrl()))
        .put("ollama-down", new JsonObject().put("type", "ollama").put("base_url", "http://127.0.0.1:1")
            .put("models", new JsonArray().add("configured-model")));
  }

  @Override
  protected String envFile(OllamaUpstream upstream) {
    return "";
  }

  @Test
  void textWithOptionsAndNoKey() {
    ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model("ollama:phi4")
        .addSystemMessage("Be brief.")
        .addUserMessage("Say hello")
        .temperature(0.3).topP(0.9).maxCompletionTokens(100).seed(42).stopOfStrings(List.of("END"))
        .parallelToolCalls(false)
        .putAdditionalBodyProperty("top_k", JsonValue.from(20))
        .putAdditionalBodyProperty("keep_alive", JsonValue.from("10m"))
        .build());

    assertThat(completion.choices().get(0).message().content()).contains("Hello from the upstream");
    assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(26);
    assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(9);

    JsonObject body = upstream.last().body();
    assertThat(upstream.last().path()).isEqualTo("/api/chat");
    assertThat(body.getString("model")).isEqualTo("phi4");
    assertThat(body.getBoolean("stream")).isFalse();
    assertThat(body.getString("keep_alive")).isEqualTo("10m");
    assertThat(body.getJsonArray("messages")).containsExactly(
        new JsonObject().put("role", "system").put("content", "Be brief."),
        new JsonObject().put("role", "user").put("content", "Say hello"));
    assertThat(body.getJsonObject("options")).isEqualTo(new JsonObject().put("temperature", 0.3).put("top_p", 0.9)
        .put("top_k", 20).put("num_predict", 100).put("stop", new JsonArray().add("END")).put("seed", 42));
    assertThat(body.containsKey("parallel_tool_calls")).isFalse();
  }

  @Test
  void ndjsonStreamDeliversWordsInOrderAndUsageInTheLastChunk() {
    upstream.reply(UpstreamReply.text("one two three four"));
    SdkStream stream = SdkStream.read(client, ChatCompletionCreateParams.builder().model("ollama:phi4")
        .addUserMessage("count").streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build());
    assertThat(stream.deltas()).containsExactly("one ", "two ", "three ", "four");
    assertThat(stream.completion().choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(stream.last().usage().orElseThrow().totalTokens()).isEqualTo(35);
    assertThat(upstream.last().body().getBoolean("stream")).isTrue();
  }

  @Test
  void toolCallRoundTripNamesTheToolInTheResult() {
    upstream.reply(UpstreamReply.toolCall("get_weather", new JsonObject().put("city", "Toronto")));
    ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder()
        .model("ollama:llama3.2")
        .addUserMessage("Weather in Toronto?")
        .addFunctionTool(FunctionDefinition.builder().name("get_weather").description("Current weather")
            .parameters(FunctionParameters.builder()
                .putAdditionalProperty("type", JsonValue.from("object"))
                .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                .build())
            .build());
    ChatCompletion first = client.chat().completions().create(params.build());
    ChatCompletionMessage message = first.choices().get(0).message();
    ChatCompletionMessageFunctionToolCall call = message.toolCalls().orElseThrow().get(0).asFunction();
    assertThat(first.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    assertThat(new JsonObject(call.function().arguments())).isEqualTo(new JsonObject().put("city", "Toronto"));
    assertThat(call.id()).startsWith("call_");
    assertThat(upstream.last().body().getJsonArray("tools").getJsonObject(0).getJsonObject("function")
        .getString("name")).isEqualTo("get_weather");

    upstream.reply(UpstreamReply.text("11 degrees in Toronto."));
    ChatCompletion second = client.chat().completions().create(params
        .addMessage(message)
        .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content("11 degrees celsius").build())
        .build());
    assertThat(second.choices().get(0).message().content()).contains("11 degrees in Toronto.");
    JsonArray messages = upstream.last().body().getJsonArray("messages");
    assertThat(messages.getJsonObject(1).getJsonArray("tool_calls")).containsExactly(new JsonObject()
        .put("function", new JsonObject().put("name", "get_weather")
            .put("arguments", new JsonObject().put("city", "Toronto"))));
    assertThat(messages.getJsonObject(2)).isEqualTo(new JsonObject().put("role", "tool")
        .put("content", "11 degrees celsius").put("tool_name", "get_weather"));
  }

  @Test
  void streamedToolCallGetsAnIdAndJsonTextArguments() {
    upstream.reply(UpstreamReply.toolCall("lookup", new JsonObject().put("q", "vertx")));
    var call = SdkResponseStream.read(client, ResponseCreateParams.builder().model("ollama:phi4").input("find vertx")
        .build()).output().get(0).asFunctionCall();
    assertThat(call.name()).isEqualTo("lookup");
    assertThat(call.arguments()).isEqualTo("{\"q\":\"vertx\"}");
    assertThat(call.callId()).startsWith("call_");
  }

  @Test
  void jsonSchemaGoesAsFormat() {
    JsonObject schema = new JsonObject().put("type", "object")
        .put("properties", new JsonObject().put("age", new JsonObject().put("type", "integer")));
    upstream.reply(UpstreamReply.text("{\"age\": 22}"));
    Http.Reply reply = http.post("/v1/chat/completions", chat(false).put("response_format", new JsonObject()
        .put("type", "json_schema").put("json_schema", new JsonObject().put("name", "person").put("schema", schema))));
    assertThat(reply.status()).isEqualTo(200);
    assertThat(upstream.last().body().getJsonObject("format")).isEqualTo(schema);

    http.post("/v1/chat/completions", chat(false).put("response_format", new JsonObject().put("type", "json_object")));
    assertThat(upstream.last().body().getString("format")).isEqualTo("json");
  }

  @Test
  void imagesGoAsBase64FromDataUrlsAndFetchedUrls() {
    JsonObject request = new JsonObject().put("model", "ollama:llava").put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", new JsonArray()
            .add(new JsonObject().put("type", "text").put("text", "What is in these?"))
            .add(image("data:image/png;base64," + ImageServer.PNG_BASE64))
            .add(image(images.url("/pixel.png"))))));
    assertThat(http.post("/v1/chat/completions", request).status()).isEqualTo(200);
    JsonObject sent = upstream.last().body().getJsonArray("messages").getJsonObject(0);
    assertThat(sent.getString("content")).isEqualTo("What is in these?");
    assertThat(sent.getJsonArray("images")).containsExactly(ImageServer.PNG_BASE64, ImageServer.PNG_BASE64);
  }

  @Test
  void thinkingComesBackAsReasoning() {
    upstream.reply(UpstreamReply.text("Forty-two.").withReasoning("Let me think."));
    Http.Reply reply = http.post("/v1/chat/completions", chat(false).put("reasoning_effort", "high"));
    JsonObject message = reply.json().getJsonArray("choices").getJsonObject(0).getJsonObject("message");
    assertThat(message.getString("reasoning_content")).isEqualTo("Let me think.");
    assertThat(message.getString("content")).isEqualTo("Forty-two.");
    assertThat(upstream.last().body().getString("think")).isEqualTo("high");
  }

  @Test
  void doneReasonLengthIsLength() {
    upstream.reply(UpstreamReply.text("cut short").finishingWith("length"));
    Http.Reply reply = http.post("/v1/chat/completions", chat(true));
    assertThat(reply.body().toString()).contains("\"finish_reason\":\"length\"");
  }

  @Test
  void rateLimitThenSuccess() {
    upstream.replyOnce(UpstreamReply.error(429, "too many requests").retryAfter("0"));
    Http.Reply reply = http.post("/v1/chat/completions", chat(false));
    assertThat(reply.status()).isEqualTo(200);
    assertThat(upstream.received()).hasSize(2);
  }

  @Test
  void errorBodiesKeepStatusAndMessage() {
    upstream.reply(UpstreamReply.error(404, "model \"nope\" not found, try pulling it first"));
    Http.Reply reply = http.post("/v1/chat/completions", chat(false));
    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.error().getString("message")).isEqualTo("ollama: model \"nope\" not found, try pulling it first");
  }

  @Test
  void streamCutMidwayEndsWithAnErrorEvent() {
    upstream.reply(UpstreamReply.text("one two three four five").cutMidStream());
    Http.Reply reply = http.post("/v1/responses", new JsonObject().put("model", "ollama:phi4").put("stream", true)
        .put("input", "count"));
    assertThat(reply.status()).isEqualTo(200);
    List<String> names = reply.events().stream().map(event -> event[0]).toList();
    assertThat(names).contains("response.output_text.delta");
    assertThat(names).contains("error");
    assertThat(names.get(names.size() - 1)).isEqualTo("response.failed");
  }

  @Test
  void responsesApiAndMessagesForm() {
    Response response = client.responses().create(ResponseCreateParams.builder()
        .model("ollama:phi4").instructions("Be brief.").input("Say hello").build());
    response.validate();
    assertThat(response.output().get(0).asMessage().content().get(0).asOutputText().text())
        .isEqualTo("Hello from the upstream");
    assertThat(response.usage().orElseThrow().totalTokens()).isEqualTo(35);

    Http.Reply form = http.post("/v1/responses", chat(false));
    assertThat(form.json().getString("object")).isEqualTo("response");
    assertThat(form.body().toString()).contains("Hello from the upstream");
  }

  @Test
  void modelsListsTagsAndSurvivesADeadServer() {
    long started = System.nanoTime();
    List<String> ids = client.models().list().data().stream().map(Model::id).toList();
    assertThat(ids).contains("ollama:phi4:latest", "ollama:llama3.2:latest", "ollama-down:configured-model",
        "google:gemini-2.5-flash");
    assertThat(System.nanoTime() - started).isLessThan(3_000_000_000L);
    assertThat(client.models().retrieve("ollama:phi4:latest").ownedBy()).isEqualTo("ollama");

    upstream.models(List.of("qwen3:8b"));
    assertThat(client.models().list().data().stream().map(Model::id).toList())
        .as("cached for a while").contains("ollama:phi4:latest").doesNotContain("ollama:qwen3:8b");
  }

  private static JsonObject image(String url) {
    return new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", url));
  }

  private static JsonObject chat(boolean stream) {
    return new JsonObject().put("model", "ollama:phi4").put("stream", stream)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));
  }
}
