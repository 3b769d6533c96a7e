package io.lmbridge.local;

import com.openai.core.JsonValue;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import io.lmbridge.config.LlamaEngine;
import io.lmbridge.testkit.Http;
import io.lmbridge.testkit.LocalEngines;
import io.lmbridge.testkit.LocalGateway;
import io.lmbridge.testkit.SdkResponseStream;
import io.lmbridge.testkit.SdkStream;
import io.lmbridge.testkit.TestGateway;
import io.lmbridge.testkit.TinyGguf;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.Validator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A local GGUF model through every client path, served by a real runner process, once on each
 * engine ({@link LlamaCppLocalModelsTest}, {@link JavaLlamaLocalModelsTest}). The models are written
 * by the test kit, so this runs without ../shared.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LocalModelsTest {

  /** Closed choices: a random model stays inside them, where free strings may hold its invalid UTF-8. */
  private static final JsonObject CITY_SCHEMA = new JsonObject().put("type", "object")
      .put("properties", new JsonObject()
          .put("city", new JsonObject().put("enum", new JsonArray().add("Paris").add("Rome").add("Oslo")))
          .put("days", new JsonObject().put("type", "integer").put("minimum", 1).put("maximum", 7)))
      .put("required", new JsonArray().add("city").add("days")).put("additionalProperties", false);

  protected LocalGateway local;
  protected Vertx vertx;
  protected TestGateway gateway;
  protected Http http;

  /** The engine the runners load with. */
  abstract LlamaEngine engine();

  /** How the listing says tools reach a model whose template renders them. */
  abstract JsonObject toolsThroughTheTemplate();

  @BeforeAll
  void start() throws Exception {
    LocalEngines.assumeAvailable(engine());
    Path models = Files.createTempDirectory("lmbridge-models");
    TinyGguf.write(models, "Tiny-Chat-Q8_0.gguf");
    TinyGguf.writeEndless(models, "endless.gguf");
    TinyGguf.write(models, "Tiny-Tools-Q8_0.gguf", TinyGguf.TOOLS_TEMPLATE);
    local = LocalGateway.start(models, new JsonObject().put("context_size", 1024).put("slots", 4)
        .put("max_loaded", 4).put("structured_mode", "strict").put("engine", engine().configName())
        .put("models", new JsonArray().add(new JsonObject().put("name", "tiny-embed")
            .put("path", "Tiny-Chat-Q8_0.gguf").put("embedding", true))));
    vertx = local.vertx();
    gateway = local.gateway();
    http = local.http();
  }

  @AfterAll
  void stop() {
    if (local != null) {
      local.close();
    }
  }

  @Test
  void aModelFileIsListedByItsNameAndLoadsOnFirstUse() {
    JsonObject listed = listed("tiny-chat");
    assertThat(http.get("/v1/llama/models").json().getJsonArray("models")).hasSize(4);
    assertThat(listed.getString("name")).isEqualTo("tiny-chat");
    assertThat(listed.getString("key")).isEqualTo("lmbridge:tiny-chat");
    assertThat(http.get("/v1/models").body().toString()).contains("lmbridge:tiny-chat");

    ChatCompletion completion = gateway.openAi().chat().completions().create(ChatCompletionCreateParams.builder()
        .model("lmbridge:endless").addUserMessage("Tell me a story").maxCompletionTokens(12).build());

    assertThat(completion.choices().get(0).message().content().orElseThrow()).isNotEmpty();
    assertThat(completion.usage().get().promptTokens()).isPositive();
    assertThat(completion.usage().get().completionTokens()).isBetween(1L, 12L);
    JsonObject loaded = listed("endless");
    assertThat(loaded.getBoolean("loaded")).isTrue();
    assertThat(loaded.getLong("pid")).isPositive();
    assertThat(loaded.getInteger("slots")).isEqualTo(4);
    assertThat(http.get("/v1/service/status").json().getJsonArray("models").stream().map(JsonObject.class::cast)
        .map(model -> model.getString("name"))).contains("endless");
  }

  @Test
  void embeddingsInBothEncodings() {
    CreateEmbeddingResponse sdk = gateway.openAi().embeddings().create(EmbeddingCreateParams.builder()
        .model("lmbridge:tiny-embed").inputOfArrayOfStrings(List.of("hello world", "once upon a time")).build());
    List<Float> first = sdk.data().get(0).embedding();
    assertThat(first).hasSize(64);
    assertThat(sdk.data().get(1).embedding()).hasSize(64).isNotEqualTo(first);
    assertThat(sdk.usage().promptTokens()).isPositive();

    JsonObject floats = http.post("/v1/embeddings", new JsonObject().put("model", "lmbridge:tiny-embed")
        .put("input", "hello world").put("encoding_format", "float")).json();
    JsonArray vector = floats.getJsonArray("data").getJsonObject(0).getJsonArray("embedding");
    // llama.cpp embeds a request's inputs in one batch, whose sums may round apart from a batch of one.
    for (int i = 0; i < 64; i++) {
      assertThat(vector.getNumber(i).floatValue()).isCloseTo(first.get(i), within(1e-5f));
    }
    Http.Reply notForEmbeddings = http.post("/v1/embeddings", new JsonObject().put("model", "lmbridge:tiny-chat")
        .put("input", "hi"));
    assertThat(notForEmbeddings.status()).isEqualTo(400);
    assertThat(notForEmbeddings.error().getString("message")).contains("\"embedding\": true");
  }

  @Test
  void streamsThroughTheSdkWithUsageInTheLastChunk() {
    SdkStream stream = SdkStream.read(gateway.openAi(), ChatCompletionCreateParams.builder().model("lmbridge:endless")
        .addUserMessage("Hello").maxCompletionTokens(10)
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build());
    assertThat(stream.last().usage().get().completionTokens()).isBetween(1L, 10L);
    assertThat(stream.chunks().size()).isGreaterThanOrEqualTo(4);
    assertThat(stream.completion().choices().get(0).message().content().orElseThrow()).isNotEmpty();
  }

  @Test
  void theResponsesApiStreamsFromALocalModel() {
    Response response = SdkResponseStream.read(gateway.openAi(),
        ResponseCreateParams.builder().model("lmbridge:tiny-chat").input("Once upon a time").maxOutputTokens(16).build());
    assertThat(response.usage().get().outputTokens()).isPositive();
  }

  @Test
  void jsonSchemaOutputIsValidInStrictMode() {
    for (int seed = 1; seed <= 3; seed++) {
      ChatCompletion completion = gateway.openAi().chat().completions().create(ChatCompletionCreateParams.builder()
          .model("lmbridge:tiny-chat").addUserMessage("Where do you live?").maxCompletionTokens(120).seed(seed)
          .responseFormat(ResponseFormatJsonSchema.builder().jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder()
              .name("place").schema(JsonValue.from(plain(CITY_SCHEMA))).build()).build())
          .build());
      JsonObject answer = new JsonObject(completion.choices().get(0).message().content().orElseThrow());
      assertThat(validator(CITY_SCHEMA).validate(answer).getValid()).as(answer.encode()).isTrue();
    }
  }

  /** ChatML cannot carry tools, so the gateway describes them in a system message and reads the call. */
  @Test
  void aRequiredToolCallIsParsedIntoToolCallsAndItsResultAccepted() {
    assertThat(requiredToolCallRoundTrip("tiny-chat"))
        .isEqualTo(new JsonObject().put("via", "system_message").put("call_opening", "<tool_call>"));
  }

  /** A template that renders tools gets them; the listing then says so. */
  @Test
  void theToolsTemplateGetsTheTools() {
    gateway.openAi().chat().completions().create(ChatCompletionCreateParams.builder().model("lmbridge:tiny-tools")
        .addUserMessage("Hi").maxCompletionTokens(1).build());
    assertThat(listed("tiny-tools").getJsonObject("tools")).isEqualTo(toolsThroughTheTemplate());
  }

  /**
   * A required call of the weather tool, parsed into tool calls with arguments that match its schema,
   * and its result taken back: the model's answer is text.
   *
   * @return how the listing says tools reach the model
   */
  JsonObject requiredToolCallRoundTrip(String model) {
    ChatCompletionFunctionTool weather = ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder()
        .name("weather").description("The weather in a city")
        .parameters(FunctionParameters.builder().putAllAdditionalProperties(jsonValues(CITY_SCHEMA)).build())
        .build()).build();
    ChatCompletionCreateParams.Builder request = ChatCompletionCreateParams.builder().model("lmbridge:" + model)
        .addUserMessage("What is the weather?").addTool(weather).maxCompletionTokens(120)
        .toolChoice(ChatCompletionToolChoiceOption.Auto.REQUIRED);

    ChatCompletion called = gateway.openAi().chat().completions().create(request.build());

    ChatCompletion.Choice choice = called.choices().get(0);
    assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    ChatCompletionMessageToolCall call = choice.message().toolCalls().orElseThrow().get(0);
    assertThat(call.asFunction().function().name()).isEqualTo("weather");
    JsonObject arguments = new JsonObject(call.asFunction().function().arguments());
    assertThat(validator(CITY_SCHEMA).validate(arguments).getValid()).as(arguments.encode()).isTrue();

    ChatCompletion answered = gateway.openAi().chat().completions().create(request
        .toolChoice(ChatCompletionToolChoiceOption.Auto.NONE)
        .addMessage(choice.message().toParam())
        .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.asFunction().id())
            .content("Sunny, 21 degrees").build())
        .maxCompletionTokens(8).build());
    // An answer in text: the random-weights model may end it at its first token, so no text is required.
    assertThat(answered.choices().get(0).finishReason())
        .isIn(ChatCompletion.Choice.FinishReason.STOP, ChatCompletion.Choice.FinishReason.LENGTH);
    assertThat(answered.choices().get(0).message().toolCalls().orElse(List.of())).isEmpty();
    return listed(model).getJsonObject("tools");
  }

  /** Tokens that go out together (llama.stream_interval_ms) are all there, in order. */
  @Test
  void aStreamCarriesTheSameTextAsTheWholeAnswer() {
    ChatCompletionCreateParams request = ChatCompletionCreateParams.builder().model("lmbridge:endless")
        .addUserMessage("Tell me a story").maxCompletionTokens(200).seed(7).build();
    ChatCompletion whole = gateway.openAi().chat().completions().create(request);

    List<String> pieces = SdkStream.read(gateway.openAi(), request).deltas();

    assertThat(whole.usage().get().completionTokens()).isGreaterThan(150);
    assertThat(String.join("", pieces)).isEqualTo(whole.choices().get(0).message().content().orElseThrow());
  }

  @Test
  void concurrentStreamsShareTheModel() {
    HttpClient client = vertx.createHttpClient();
    List<Future<String>> streams = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      streams.add(client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
              .setPort(gateway.port()).setURI("/v1/chat/completions"))
          .compose(request -> request.send(new JsonObject().put("model", "lmbridge:tiny-chat").put("stream", true)
              .put("max_tokens", 24)
              .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "go")))
              .encode()))
          .compose(response -> response.body().map(Object::toString)));
    }
    for (String body : Future.all(streams).await().<String>list()) {
      assertThat(body).endsWith("data: [DONE]\n\n").contains("\"finish_reason\":");
    }
  }

  @Test
  void requestsTheEngineCannotServeGetClearErrors() {
    JsonObject tooLong = chat(new JsonObject().put("role", "user").put("content", "word ".repeat(4000)));
    Http.Reply overflow = http.post("/v1/chat/completions", tooLong);
    assertThat(overflow.status()).isEqualTo(400);
    assertThat(overflow.error().getString("code")).isEqualTo("context_length_exceeded");

    Http.Reply image = http.post("/v1/chat/completions", chat(new JsonObject().put("role", "user")
        .put("content", new JsonArray().add(new JsonObject().put("type", "image_url")
            .put("image_url", new JsonObject().put("url", "data:image/png;base64,iVBORw0KGgo="))))));
    assertThat(image.status()).isEqualTo(400);
    assertThat(image.error().getString("param")).isEqualTo("messages[0].content[0]");
    assertThat(image.error().getString("message")).contains("cannot take images");

    JsonObject notASchema = new JsonObject().put("type", "object").put("properties", new JsonObject()
        .put("city", new JsonArray().add(new JsonObject().put("type", "string"))));
    Http.Reply badSchema = http.post("/v1/chat/completions", chat(new JsonObject().put("role", "user")
        .put("content", "hi")).put("response_format", new JsonObject().put("type", "json_schema")
        .put("json_schema", new JsonObject().put("name", "x").put("schema", notASchema))));
    assertThat(badSchema.status()).isEqualTo(400);
    assertThat(badSchema.error().getString("param")).isEqualTo("response_format.json_schema.schema");

    Http.Reply traversal = http.post("/v1/llama/models/load", new JsonObject().put("model", "../../etc/passwd"));
    assertThat(traversal.status()).isEqualTo(400);
    Http.Reply unknown = http.post("/v1/chat/completions", chat(new JsonObject().put("role", "user")
        .put("content", "hi")).put("model", "lmbridge:no-such-model"));
    assertThat(unknown.status()).isEqualTo(404);
  }

  JsonObject listed(String name) {
    return local.listed(name);
  }


  static JsonObject chat(JsonObject message) {
    return new JsonObject().put("model", "lmbridge:tiny-chat").put("max_tokens", 4)
        .put("messages", new JsonArray().add(message));
  }

  private static Validator validator(JsonObject schema) {
    return Validator.create(JsonSchema.of(schema),
        new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("https://lmbridge.local/"));
  }

  private static Map<String, JsonValue> jsonValues(JsonObject object) {
    Map<String, JsonValue> values = new java.util.LinkedHashMap<>();
    plain(object).forEach((key, value) -> values.put(key, JsonValue.from(value)));
    return values;
  }

  /** Maps and lists all the way down, which is what the SDK serialises faithfully. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> plain(JsonObject object) {
    return io.vertx.core.json.Json.decodeValue(object.encode(), Map.class);
  }
}
