package io.lmbridge.local;

import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionTokenLogprob;
import io.lmbridge.config.LlamaEngine;
import io.lmbridge.testkit.Http;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The local-model suite on the current llama.cpp, and what only it can do. */
class LlamaCppLocalModelsTest extends LocalModelsTest {

  @Override
  LlamaEngine engine() {
    return LlamaEngine.LLAMA_CPP;
  }

  @Override
  JsonObject toolsThroughTheTemplate() {
    return new JsonObject().put("via", "template").put("parsed_by", "llama.cpp");
  }

  @Test
  void theListingAndTheStatusNameTheEngineAndItsRelease() {
    gateway.openAi().chat().completions().create(ChatCompletionCreateParams.builder().model("lmbridge:tiny-chat")
        .addUserMessage("Hi").maxCompletionTokens(2).build());

    JsonObject engine = listed("tiny-chat").getJsonObject("engine");
    assertThat(engine.getString("name")).isEqualTo("llama.cpp");
    assertThat(engine.getString("llama_cpp")).isEqualTo("v0.5.0");
    assertThat(engine.getString("backend")).isIn("cpu", "cuda");
    assertThat(http.get("/v1/service/status").json().getJsonArray("models").stream().map(JsonObject.class::cast)
        .filter(model -> model.getString("name").equals("tiny-chat")).findFirst().orElseThrow()
        .getJsonObject("engine")).isEqualTo(engine);
  }

  @Test
  void logprobsComeWithEachTokenAndTheAlternativesAskedFor() {
    ChatCompletion completion = gateway.openAi().chat().completions().create(ChatCompletionCreateParams.builder()
        .model("lmbridge:endless").addUserMessage("Tell me a story").maxCompletionTokens(6).logprobs(true)
        .topLogprobs(3).build());

    List<ChatCompletionTokenLogprob> tokens = completion.choices().get(0).logprobs().orElseThrow().content()
        .orElseThrow();
    // One entry per token, but llama.cpp joins a token that ends inside a UTF-8 character to the next.
    assertThat(tokens).hasSizeBetween(1, (int) completion.usage().orElseThrow().completionTokens());
    assertThat(String.join("", tokens.stream().map(ChatCompletionTokenLogprob::token).toList()))
        .isEqualTo(completion.choices().get(0).message().content().orElseThrow());
    assertThat(tokens).allSatisfy(token -> {
      assertThat(token.logprob()).isLessThanOrEqualTo(0);
      assertThat(token.topLogprobs()).hasSize(3);
    });

    ChatCompletion plain = gateway.openAi().chat().completions().create(ChatCompletionCreateParams.builder()
        .model("lmbridge:endless").addUserMessage("Tell me a story").maxCompletionTokens(3).logprobs(true).build());
    assertThat(plain.choices().get(0).logprobs().orElseThrow().content().orElseThrow())
        .allSatisfy(token -> assertThat(token.topLogprobs()).isEmpty());
  }

  @Test
  void theResponsesApiGetsLogprobsOnItsOutputText() {
    JsonObject response = http.post("/v1/responses", new JsonObject().put("model", "lmbridge:endless")
        .put("input", "Tell me a story").put("max_output_tokens", 4).put("top_logprobs", 2)
        .put("include", new JsonArray().add("message.output_text.logprobs"))).json();

    JsonObject text = response.getJsonArray("output").getJsonObject(0).getJsonArray("content").getJsonObject(0);
    JsonArray logprobs = text.getJsonArray("logprobs");
    assertThat(logprobs).hasSize(response.getJsonObject("usage").getInteger("output_tokens"));
    assertThat(logprobs.stream().map(JsonObject.class::cast).map(token -> token.getString("token"))
        .reduce("", String::concat)).isEqualTo(text.getString("text"));
    assertThat(logprobs.getJsonObject(0).getJsonArray("top_logprobs")).hasSize(2);
  }

  @Test
  void severalChoicesUpToTheSlots() {
    ChatCompletion two = gateway.openAi().chat().completions().create(ChatCompletionCreateParams.builder()
        .model("lmbridge:endless").addUserMessage("Tell me a story").maxCompletionTokens(5).n(2).build());
    assertThat(two.choices()).extracting(ChatCompletion.Choice::index).containsExactly(0L, 1L);
    assertThat(two.choices()).allSatisfy(choice -> assertThat(choice.message().content()).isPresent());

    Http.Reply tooMany = http.post("/v1/chat/completions", chat(new JsonObject().put("role", "user")
        .put("content", "hi")).put("n", 5));
    assertThat(tooMany.status()).isEqualTo(400);
    assertThat(tooMany.error().getString("param")).isEqualTo("n");
    assertThat(tooMany.error().getString("message")).contains("between 1 <= value <= 4, but got 5");
  }
}
