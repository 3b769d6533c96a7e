package io.lmbridge.ingress;

import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.errors.NotFoundException;
import com.openai.errors.RateLimitException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.models.Model;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import io.lmbridge.testkit.OpenAiUpstream;
import io.lmbridge.testkit.OpenAiUpstream.Reply;
import io.lmbridge.testkit.GatewayFixture;
import io.lmbridge.testkit.SdkResponseStream;
import io.lmbridge.testkit.SdkStream;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The official OpenAI Java SDK, pointed at the gateway, against a real OpenAI-wire upstream. */
class OpenAiSdkTest {

  private static GatewayFixture fixture;
  private static OpenAiUpstream upstream;
  private static OpenAIClient client;

  @BeforeAll
  static void start() {
    fixture = GatewayFixture.start();
    upstream = fixture.upstream();
    client = fixture.gateway().openAi();
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @BeforeEach
  void reset() {
    upstream.reply(Reply.text("Hello from the upstream"));
  }

  @Test
  void chatCompletion() {
    ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model("openai:gpt-4o")
        .addSystemMessage("Be brief.")
        .addUserMessage("Say hello")
        .temperature(0.2)
        .maxCompletionTokens(50)
        .seed(7)
        .build());

    assertThat(completion.choices().get(0).message().content()).contains("Hello from the upstream");
    assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(completion.model()).isEqualTo("openai:gpt-4o");
    assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(11);
    assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(7);

    JsonObject sent = upstream.last().body();
    assertThat(sent.getString("model")).isEqualTo("gpt-4o");
    assertThat(sent.getDouble("temperature")).isEqualTo(0.2);
    assertThat(sent.getInteger("max_completion_tokens")).isEqualTo(50);
    assertThat(sent.getLong("seed")).isEqualTo(7L);
    assertThat(sent.getJsonArray("messages")).hasSize(2);
    assertThat(upstream.last().headers().get("Authorization")).isEqualTo("Bearer sk-test");
  }

  @Test
  void chatStreamWithUsage() {
    upstream.reply(Reply.text("one two three four"));
    SdkStream stream = SdkStream.read(client, ChatCompletionCreateParams.builder()
        .model("openai:gpt-4o-mini")
        .addUserMessage("count")
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
        .build());
    assertThat(stream.deltas()).containsExactly("one ", "two ", "three ", "four");
    ChatCompletion whole = stream.completion();
    assertThat(whole.choices().get(0).message().content()).contains("one two three four");
    assertThat(whole.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(stream.usageChunk().choices()).isEmpty();
    assertThat(stream.usageChunk().usage().orElseThrow().totalTokens()).isEqualTo(18);
    assertThat(upstream.last().body().getBoolean("stream")).isTrue();
  }

  @Test
  void chatToolCallRoundTrip() {
    upstream.reply(Reply.toolCall("get_weather", "{\"city\":\"Paris\"}"));
    ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder()
        .model("openai:gpt-4o")
        .addUserMessage("Weather in Paris?")
        .addFunctionTool(FunctionDefinition.builder()
            .name("get_weather")
            .description("Current weather")
            .parameters(FunctionParameters.builder()
                .putAdditionalProperty("type", JsonValue.from("object"))
                .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                .build())
            .build());
    ChatCompletion first = client.chat().completions().create(params.build());
    ChatCompletionMessage message = first.choices().get(0).message();
    ChatCompletionMessageFunctionToolCall call = message.toolCalls().orElseThrow().get(0).asFunction();
    assertThat(first.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    assertThat(call.function().name()).isEqualTo("get_weather");
    assertThat(call.function().arguments()).isEqualTo("{\"city\":\"Paris\"}");
    JsonObject tool = upstream.last().body().getJsonArray("tools").getJsonObject(0);
    assertThat(tool.getJsonObject("function").getString("name")).isEqualTo("get_weather");

    upstream.reply(Reply.text("It is sunny in Paris."));
    ChatCompletion second = client.chat().completions().create(params
        .addMessage(message)
        .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content("{\"sky\":\"clear\"}").build())
        .build());
    assertThat(second.choices().get(0).message().content()).contains("It is sunny in Paris.");
    JsonArray messages = upstream.last().body().getJsonArray("messages");
    assertThat(messages.getJsonObject(1).getJsonArray("tool_calls").getJsonObject(0).getString("id"))
        .isEqualTo(call.id());
    assertThat(messages.getJsonObject(2).getString("role")).isEqualTo("tool");
    assertThat(messages.getJsonObject(2).getString("tool_call_id")).isEqualTo(call.id());
  }

  @Test
  void streamedToolCallArrivesInFragments() {
    upstream.reply(Reply.toolCall("get_weather", "{\"city\":\"Reykjavik\"}"));
    ChatCompletion whole = SdkStream.read(client, ChatCompletionCreateParams.builder().model("openai:gpt-4o")
        .addUserMessage("weather?").addFunctionTool(FunctionDefinition.builder().name("get_weather").build()).build())
        .completion();
    ChatCompletionMessageFunctionToolCall call = whole.choices().get(0).message().toolCalls().orElseThrow().get(0)
        .asFunction();
    assertThat(call.function().arguments()).isEqualTo("{\"city\":\"Reykjavik\"}");
    assertThat(call.id()).isEqualTo("call_1");
    assertThat(whole.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
  }

  @Test
  void responsesApi() {
    Response response = client.responses().create(ResponseCreateParams.builder()
        .model("openai:gpt-4o")
        .instructions("Be brief.")
        .input("Say hello")
        .maxOutputTokens(64)
        .build());
    assertThat(response.status()).contains(com.openai.models.responses.ResponseStatus.COMPLETED);
    assertThat(response.output()).hasSize(1);
    assertThat(response.output().get(0).asMessage().content().get(0).asOutputText().text())
        .isEqualTo("Hello from the upstream");
    assertThat(response.usage().orElseThrow().inputTokens()).isEqualTo(11);
    assertThat(response.usage().orElseThrow().inputTokensDetails().cachedTokens()).isEqualTo(3);
    response.validate();

    JsonArray sent = upstream.last().body().getJsonArray("messages");
    assertThat(sent.getJsonObject(0).getString("role")).isEqualTo("system");
    assertThat(sent.getJsonObject(1).getString("content")).isEqualTo("Say hello");
    assertThat(upstream.last().body().getInteger("max_completion_tokens")).isEqualTo(64);
  }

  @Test
  void responsesStreamIsAcceptedByTheSdkAccumulator() {
    upstream.reply(Reply.text("streamed words here").withReasoning("thinking first"));
    Response response = SdkResponseStream.read(client, ResponseCreateParams.builder().model("openai:gpt-4o")
        .input("stream please").build());
    response.validate();
    assertThat(response.output()).hasSize(2);
    assertThat(response.output().get(0).isReasoning()).isTrue();
    assertThat(response.output().get(1).asMessage().content().get(0).asOutputText().text())
        .isEqualTo("streamed words here");
    assertThat(response.usage().orElseThrow().totalTokens()).isEqualTo(18);
  }

  @Test
  void responsesFunctionCallRoundTrip() {
    upstream.reply(Reply.toolCall("lookup", "{\"q\":\"vertx\"}"));
    FunctionTool lookup = FunctionTool.builder().name("lookup").strict(false)
        .parameters(FunctionTool.Parameters.builder().putAdditionalProperty("type", JsonValue.from("object")).build())
        .build();
    ResponseFunctionToolCall call = SdkResponseStream.read(client, ResponseCreateParams.builder()
        .model("openai:gpt-4o").input("find vertx").addTool(lookup).build()).output().get(0).asFunctionCall();
    assertThat(call.name()).isEqualTo("lookup");
    assertThat(call.arguments()).isEqualTo("{\"q\":\"vertx\"}");
    assertThat(call.callId()).isEqualTo("call_1");

    upstream.reply(Reply.text("Vert.x is a toolkit."));
    Response answer = client.responses().create(ResponseCreateParams.builder()
        .model("openai:gpt-4o")
        .inputOfResponse(List.of(
            ResponseInputItem.ofEasyInputMessage(com.openai.models.responses.EasyInputMessage.builder()
                .role(com.openai.models.responses.EasyInputMessage.Role.USER).content("find vertx").build()),
            ResponseInputItem.ofFunctionCall(call),
            ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
                .callId(call.callId()).output("{\"hits\":1}").build())))
        .addTool(lookup)
        .build());
    assertThat(answer.output().get(0).asMessage().content().get(0).asOutputText().text())
        .isEqualTo("Vert.x is a toolkit.");
    JsonArray sent = upstream.last().body().getJsonArray("messages");
    assertThat(sent.getJsonObject(1).getJsonArray("tool_calls").getJsonObject(0).getString("id")).isEqualTo("call_1");
    assertThat(sent.getJsonObject(2).getString("tool_call_id")).isEqualTo("call_1");
    assertThat(sent.getJsonObject(2).getString("content")).isEqualTo("{\"hits\":1}");
  }

  @Test
  void modelsList() {
    List<String> ids = client.models().list().data().stream().map(Model::id).toList();
    assertThat(ids).contains("openai:gpt-4o", "xai:grok-4-fast");
    assertThat(client.models().retrieve("openai:gpt-4o").ownedBy()).isEqualTo("openai");
    assertThatThrownBy(() -> client.models().retrieve("nope:nothing")).isInstanceOf(NotFoundException.class);
  }

  @Test
  void upstreamRateLimitReachesTheClient() {
    upstream.reply(Reply.error(429, "rate_limit_error", "Rate limit reached for gpt-4o", "7"));
    assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model("openai:gpt-4o").addUserMessage("hi").build()))
        .isInstanceOfSatisfying(RateLimitException.class, e -> {
          assertThat(e.getMessage()).contains("Rate limit reached for gpt-4o");
          assertThat(e.headers().values("Retry-After")).containsExactly("7");
        });
  }
}
