package io.lmbridge.local;

import com.openai.core.JsonValue;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import io.lmbridge.config.LlamaEngine;
import io.lmbridge.testkit.Http;
import io.lmbridge.testkit.ImageServer;
import io.lmbridge.testkit.LocalEngines;
import io.lmbridge.testkit.LocalGateway;
import io.lmbridge.testkit.SdkStream;
import io.lmbridge.testkit.TestGateway;
import io.lmbridge.testkit.TinyGguf;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local models the design document names, each a tiny random model of its architecture under the
 * document's file name, on the current llama.cpp through the gateway: Qwen3 with its real tokenizer and
 * template (reasoning, tools in its own format), Phi-4-mini's {@code phi3}, Gemma 3 with its vision
 * projector beside it (and a Gemma 3 without one), and PLaMo-2, Mamba layer first.
 */
class LlamaCppArchitecturesTest {

  private static final JsonObject WEATHER = new JsonObject().put("type", "function").put("function", new JsonObject()
      .put("name", "weather").put("description", "The weather in a city").put("parameters", new JsonObject()
          .put("type", "object").put("properties", new JsonObject().put("city", new JsonObject()
              .put("enum", new JsonArray().add("Paris").add("Rome")))).put("required", new JsonArray().add("city"))));

  private static LocalGateway local;
  private static TestGateway gateway;
  private static Http http;
  private static ImageServer images;

  @BeforeAll
  static void start() throws Exception {
    LocalEngines.assumeAvailable(LlamaEngine.LLAMA_CPP);
    Path source = LocalEngines.llamaCppSource();
    Path models = Files.createTempDirectory("lmbridge-models");
    String qwen3Template = Files.readString(source.resolve("models/templates/Qwen-Qwen3-0.6B.jinja"));
    TinyGguf.qwen3(models, "Qwen3-14B-Q8_0.gguf", source.resolve("models/ggml-vocab-qwen2.gguf"), qwen3Template);
    TinyGguf.qwen3Calling(models, "Qwen3-Caller-Q8_0.gguf", source.resolve("models/ggml-vocab-qwen2.gguf"),
        qwen3Template);
    TinyGguf.phi3(models, "Phi-4-mini-instruct-Q4_K_M.gguf", source.resolve("models/ggml-vocab-phi-3.gguf"),
        Files.readString(source.resolve("models/templates/microsoft-Phi-3.5-mini-instruct.jinja")));
    TinyGguf.gemma3(models, "Gemma-3-4b-it-q4_0.gguf");
    TinyGguf.gemma3Projector(models, "Gemma-3-4b-it-mmproj-q4_0.gguf");
    TinyGguf.gemma3(models, "Gemma-3-270m-it-Q4_K_M.gguf");
    TinyGguf.plamo2(models, "PLaMo-2-translate-Q4_0.gguf");
    local = LocalGateway.start(models, new JsonObject().put("slots", 1).put("context_size", 2048)
            .put("max_loaded", 2).put("engine", LlamaEngine.LLAMA_CPP.configName()),
        new JsonObject().put("images", new JsonObject().put("allow_private_networks", true)));
    gateway = local.gateway();
    http = local.http();
    images = ImageServer.start(local.vertx());
  }

  @AfterAll
  static void stop() {
    if (local != null) {
      local.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"qwen3-14b", "phi-4-mini-instruct", "gemma-3-4b-it", "gemma-3-270m-it",
      "plamo-2-translate"})
  void eachNamedModelLoadsAndGeneratesUnderItsKey(String name) {
    ChatCompletion completion = gateway.openAi().chat().completions().create(ChatCompletionCreateParams.builder()
        .model("lmbridge:" + name).addUserMessage("Hello, who are you?").maxCompletionTokens(8).seed(1).build());

    assertThat(completion.choices().get(0).message().content()).isPresent();
    assertThat(completion.usage().orElseThrow().promptTokens()).isPositive();
    assertThat(completion.usage().orElseThrow().completionTokens()).isBetween(1L, 8L);
    JsonObject listed = local.listed(name);
    assertThat(listed.getJsonObject("engine").getString("name")).isEqualTo("llama.cpp");
    assertThat(listed.getJsonObject("engine").getString("llama_cpp")).isEqualTo("v0.5.0");
  }

  @Test
  void theModelWithItsProjectorTakesImagesAndCountsTheirTokens() {
    assertThat(local.listed("gemma-3-4b-it").getString("mmproj")).endsWith("Gemma-3-4b-it-mmproj-q4_0.gguf");
    assertThat(local.listed("gemma-3-270m-it").getString("mmproj")).isNull();
    int textOnly = promptTokens(new JsonArray().add(text("What is in this image?")));

    int inline = promptTokens(new JsonArray().add(text("What is in this image?"))
        .add(image("data:image/png;base64," + ImageServer.PNG_BASE64)));
    int fetched = promptTokens(new JsonArray().add(text("What is in this image?")).add(image(images.url("/pixel.png"))));

    // The tiny projector makes 16 tokens of an image, between its start and end markers.
    assertThat(inline).isEqualTo(textOnly + 18);
    assertThat(fetched).isEqualTo(inline);
    Http.Reply blind = http.post("/v1/chat/completions", new JsonObject().put("model", "lmbridge:gemma-3-270m-it")
        .put("max_tokens", 4).put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content",
            new JsonArray().add(image("data:image/png;base64," + ImageServer.PNG_BASE64))))));
    assertThat(blind.status()).isEqualTo(400);
    assertThat(blind.error().getString("param")).isEqualTo("messages[0].content[0]");
    assertThat(blind.error().getString("message")).contains("no vision projector");
  }

  /** The thinking is forced with llama.cpp's own grammar field, passed through: a random model never thinks. */
  @Test
  void qwen3ThinkingComesBackAsReasoningAndItsSettingReachesTheTemplate() {
    JsonObject thinking = http.post("/v1/chat/completions", new JsonObject().put("model", "lmbridge:qwen3-14b")
        .put("max_tokens", 60).put("messages", new JsonArray().add(new JsonObject().put("role", "user")
            .put("content", "Why?")))
        .put("grammar", "root ::= \"<think>\" [a-z ]{5,20} \"</think>\" [a-z ]{3,10}")).json();

    JsonObject message = thinking.getJsonArray("choices").getJsonObject(0).getJsonObject("message");
    assertThat(message.getString("reasoning_content")).matches("[a-z ]{5,20}");
    assertThat(message.getString("content")).doesNotContain("<think>").matches("[a-z \\n]*");

    // Qwen3's template writes an empty thinking block when thinking is off.
    int thinkingOn = chatPromptTokens(new JsonObject());
    int thinkingOff = chatPromptTokens(new JsonObject().put("reasoning_effort", "none"));
    assertThat(thinkingOff).isGreaterThan(thinkingOn);
  }

  @Test
  void qwen3CallsToolsInItsOwnFormatStreamedAndTakesTheResultsBack() {
    JsonObject request = new JsonObject().put("model", "lmbridge:qwen3-caller").put("max_tokens", 160).put("seed", 3)
        .put("tools", new JsonArray().add(WEATHER)).put("tool_choice", "required")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Weather?")));

    JsonObject called = http.post("/v1/chat/completions", request).json().getJsonArray("choices").getJsonObject(0)
        .getJsonObject("message");
    // The model goes on calling until max_tokens, where its last call may be cut: the first is whole.
    JsonArray calls = called.getJsonArray("tool_calls");
    assertThat(calls).isNotEmpty().allSatisfy(call -> assertThat(((JsonObject) call).getJsonObject("function")
        .getString("name")).isEqualTo("weather"));
    assertThat(new JsonObject(calls.getJsonObject(0).getJsonObject("function").getString("arguments"))
        .getString("city")).isIn("Paris", "Rome");
    assertThat(local.listed("qwen3-caller").getJsonObject("tools"))
        .isEqualTo(new JsonObject().put("via", "template").put("parsed_by", "llama.cpp"));

    List<ChatCompletionMessageToolCall> streamed = SdkStream.read(gateway.openAi(), ChatCompletionCreateParams
        .builder().model("lmbridge:qwen3-caller").maxCompletionTokens(160).seed(3).addUserMessage("Weather?")
        .addTool(ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder().name("weather")
            .parameters(FunctionParameters.builder().putAdditionalProperty("type", JsonValue.from("object")).build())
            .build()).build())
        .toolChoice(ChatCompletionToolChoiceOption.Auto.REQUIRED).build())
        .completion().choices().get(0).message().toolCalls().orElseThrow();
    assertThat(streamed).isNotEmpty().allSatisfy(call -> assertThat(call.asFunction().function().name())
        .isEqualTo("weather"));

    JsonObject first = calls.getJsonObject(0);
    Http.Reply answered = http.post("/v1/chat/completions", request.copy().put("tool_choice", "none")
        .put("max_tokens", 8).put("messages", request.getJsonArray("messages").copy()
            .add(new JsonObject().put("role", "assistant").putNull("content").put("tool_calls", new JsonArray().add(first)))
            .add(new JsonObject().put("role", "tool").put("tool_call_id", first.getString("id"))
                .put("content", "Sunny, 21 degrees"))));
    assertThat(answered.status()).isEqualTo(200);
    assertThat(answered.json().getJsonArray("choices").getJsonObject(0).getJsonObject("message")
        .getJsonArray("tool_calls")).isNull();
  }

  /** Without tools in play, a template that renders them changes nothing for JSON output. */
  @Test
  void qwen3AnswersInTheJsonAskedForWhenNoToolIsInPlay() {
    JsonObject schema = new JsonObject().put("type", "object").put("properties", new JsonObject()
        .put("city", new JsonObject().put("enum", new JsonArray().add("Paris").add("Rome"))))
        .put("required", new JsonArray().add("city")).put("additionalProperties", false);

    JsonObject reply = http.post("/v1/chat/completions", new JsonObject().put("model", "lmbridge:qwen3-14b")
        .put("max_tokens", 60).put("seed", 2)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Where?")))
        .put("response_format", new JsonObject().put("type", "json_schema").put("json_schema",
            new JsonObject().put("name", "place").put("schema", schema)))).json();

    String content = reply.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content");
    assertThat(new JsonObject(content).getString("city")).isIn("Paris", "Rome");
  }

  private static int chatPromptTokens(JsonObject extra) {
    return http.post("/v1/chat/completions", extra.copy().put("model", "lmbridge:qwen3-14b").put("max_tokens", 1)
            .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Why?"))))
        .json().getJsonObject("usage").getInteger("prompt_tokens");
  }

  private static int promptTokens(JsonArray content) {
    Http.Reply reply = http.post("/v1/chat/completions", new JsonObject().put("model", "lmbridge:gemma-3-4b-it")
        .put("max_tokens", 1).put("messages", new JsonArray().add(new JsonObject().put("role", "user")
            .put("content", content))));
    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
    return reply.json().getJsonObject("usage").getInteger("prompt_tokens");
  }

  private static JsonObject text(String text) {
    return new JsonObject().put("type", "text").put("text", text);
  }

  private static JsonObject image(String url) {
    return new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", url));
  }


}
