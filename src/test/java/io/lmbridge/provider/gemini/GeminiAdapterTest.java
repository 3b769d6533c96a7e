package io.lmbridge.provider.gemini;

import com.openai.core.JsonValue;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionAssistantMessageParam;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionNamedToolChoice;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import io.lmbridge.testkit.GeminiUpstream;
import io.lmbridge.testkit.Http;
import io.lmbridge.testkit.ImageServer;
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

/** {@code google:} models through every client dialect, against a Gemini upstream that checks its spec. */
class GeminiAdapterTest extends ProviderGatewayTest<GeminiUpstream> {

  private static final String KEY = "g-test-key";

  @Override
  protected GeminiUpstream startUpstream(Vertx vertx) {
    return GeminiUpstream.start(vertx, KEY);
  }

  @Override
  protected JsonObject providers(GeminiUpstream upstream) {
    return new JsonObject().put("google", new JsonObject().put("base_url", upstream.baseUrl()));
  }

  @Override
  protected String envFile(GeminiUpstream upstream) {
    return "GOOGLE_API_KEY=" + KEY + "\n";
  }

  @Test
  void textWithSystemPromptAndGenerationConfig() {
    ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model("google:gemini-2.5-flash")
        .addSystemMessage("Be brief.")
        .addUserMessage("Say hello")
        .temperature(0.3).topP(0.9).maxCompletionTokens(100).seed(42).n(1).stopOfStrings(List.of("END"))
        .parallelToolCalls(true)
        .putAdditionalBodyProperty("top_k", JsonValue.from(20))
        .build());

    assertThat(completion.choices().get(0).message().content()).contains("Hello from the upstream");
    assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(completion.model()).isEqualTo("google:gemini-2.5-flash");
    var usage = completion.usage().orElseThrow();
    assertThat(usage.promptTokens()).isEqualTo(21);
    assertThat(usage.completionTokens()).isEqualTo(4);
    assertThat(usage.promptTokensDetails().orElseThrow().cachedTokens()).contains(4L);

    GeminiUpstream.Received sent = upstream.last();
    assertThat(sent.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
    assertThat(sent.headers().get("x-goog-api-key")).isEqualTo(KEY);
    JsonObject body = sent.body();
    assertThat(body.getJsonObject("systemInstruction").getJsonArray("parts").getJsonObject(0).getString("text"))
        .isEqualTo("Be brief.");
    assertThat(body.getJsonArray("contents")).containsExactly(new JsonObject().put("role", "user")
        .put("parts", new JsonArray().add(new JsonObject().put("text", "Say hello"))));
    assertThat(body.getJsonObject("generationConfig")).isEqualTo(new JsonObject()
        .put("temperature", 0.3).put("topP", 0.9).put("topK", 20).put("maxOutputTokens", 100)
        .put("stopSequences", new JsonArray().add("END")).put("seed", 42).put("candidateCount", 1));
    assertThat(body.containsKey("parallel_tool_calls")).isFalse();
  }

  @Test
  void streamDeliversWordsInOrderAndUsageInTheLastChunk() {
    upstream.reply(UpstreamReply.text("one two three four"));
    SdkStream stream = SdkStream.read(client, ChatCompletionCreateParams.builder().model("google:gemini-2.5-flash")
        .addUserMessage("count").streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build());
    assertThat(stream.deltas()).containsExactly("one ", "two ", "three ", "four");
    assertThat(stream.completion().choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    ChatCompletionChunk last = stream.last();
    assertThat(last.usage().orElseThrow().completionTokens()).isEqualTo(4);
    assertThat(last.usage().orElseThrow().totalTokens()).isEqualTo(25);
    assertThat(upstream.last().path()).isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent");
  }

  @Test
  void toolCallRoundTripSendsTheFunctionResponseByName() {
    upstream.reply(UpstreamReply.toolCall("get_weather", new JsonObject().put("city", "Paris")));
    ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder()
        .model("google:gemini-2.5-flash")
        .addUserMessage("Weather in Paris?")
        .addFunctionTool(FunctionDefinition.builder().name("get_weather").description("Current weather")
            .parameters(FunctionParameters.builder()
                .putAdditionalProperty("$schema", JsonValue.from("https://json-schema.org/draft/2020-12/schema"))
                .putAdditionalProperty("type", JsonValue.from("object"))
                .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                .putAdditionalProperty("additionalProperties", JsonValue.from(false))
                .build())
            .build())
        .toolChoice(ChatCompletionToolChoiceOption.ofNamedToolChoice(ChatCompletionNamedToolChoice.builder()
            .function(ChatCompletionNamedToolChoice.Function.builder().name("get_weather").build()).build()));
    ChatCompletion first = client.chat().completions().create(params.build());
    ChatCompletionMessage message = first.choices().get(0).message();
    ChatCompletionMessageFunctionToolCall call = message.toolCalls().orElseThrow().get(0).asFunction();
    assertThat(first.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    assertThat(call.function().name()).isEqualTo("get_weather");
    assertThat(new JsonObject(call.function().arguments())).isEqualTo(new JsonObject().put("city", "Paris"));
    assertThat(call.id()).startsWith("call_");
    JsonObject sentFirst = upstream.last().body();
    JsonObject declaration = sentFirst.getJsonArray("tools").getJsonObject(0).getJsonArray("functionDeclarations")
        .getJsonObject(0);
    assertThat(declaration.getString("name")).isEqualTo("get_weather");
    assertThat(declaration.getJsonObject("parametersJsonSchema").containsKey("$schema")).isFalse();
    assertThat(sentFirst.getJsonObject("toolConfig").getJsonObject("functionCallingConfig")).isEqualTo(
        new JsonObject().put("mode", "ANY").put("allowedFunctionNames", new JsonArray().add("get_weather")));

    upstream.reply(UpstreamReply.text("It is sunny in Paris."));
    ChatCompletion second = client.chat().completions().create(params
        .addMessage(message)
        .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content("{\"sky\":\"clear\"}").build())
        .build());
    assertThat(second.choices().get(0).message().content()).contains("It is sunny in Paris.");
    JsonArray contents = upstream.last().body().getJsonArray("contents");
    assertThat(contents).hasSize(3);
    JsonObject modelTurn = contents.getJsonObject(1);
    assertThat(modelTurn.getString("role")).isEqualTo("model");
    assertThat(modelTurn.getJsonArray("parts").getJsonObject(0).getJsonObject("functionCall")).isEqualTo(
        new JsonObject().put("name", "get_weather").put("args", new JsonObject().put("city", "Paris")));
    JsonObject answer = contents.getJsonObject(2);
    assertThat(answer.getString("role")).isEqualTo("user");
    assertThat(answer.getJsonArray("parts").getJsonObject(0).getJsonObject("functionResponse")).isEqualTo(
        new JsonObject().put("name", "get_weather").put("response", new JsonObject().put("sky", "clear")));
  }

  /**
   * Chat Completions has no field for the signature, and SDKs send back only the fields they know: the
   * signature travels inside the tool call id, which every client echoes.
   */
  @Test
  void thoughtSignatureOfAFunctionCallGoesBackThroughChatCompletionsInTheCallId() {
    upstream.reply(UpstreamReply.toolCall("lookup", new JsonObject().put("q", "vertx")));
    ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder()
        .model("google:gemini-3-pro-preview")
        .addUserMessage("find vertx")
        .addFunctionTool(FunctionDefinition.builder().name("lookup").parameters(FunctionParameters.builder()
            .putAdditionalProperty("type", JsonValue.from("object")).build()).build());
    ChatCompletionMessage message = client.chat().completions().create(params.build()).choices().get(0).message();
    ChatCompletionMessageFunctionToolCall call = message.toolCalls().orElseThrow().get(0).asFunction();
    assertThat(call.id()).startsWith("call_");

    upstream.reply(UpstreamReply.text("Vert.x is a toolkit."));
    ChatCompletion second = client.chat().completions().create(params
        .addMessage(ChatCompletionAssistantMessageParam.builder()
            .addToolCall(ChatCompletionMessageFunctionToolCall.builder().id(call.id())
                .function(ChatCompletionMessageFunctionToolCall.Function.builder().name("lookup")
                    .arguments(call.function().arguments()).build()).build()).build())
        .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content("one hit").build())
        .build());
    assertThat(second.choices().get(0).message().content()).contains("Vert.x is a toolkit.");
    JsonArray contents = upstream.last().body().getJsonArray("contents");
    JsonObject callPart = contents.getJsonObject(1).getJsonArray("parts").getJsonObject(0);
    assertThat(callPart.getJsonObject("functionCall").getString("name")).isEqualTo("lookup");
    assertThat(callPart.getString("thoughtSignature")).isEqualTo(GeminiUpstream.THOUGHT_SIGNATURE);
    assertThat(contents.getJsonObject(2).getJsonArray("parts").getJsonObject(0).getJsonObject("functionResponse")
        .getString("name")).isEqualTo("lookup");
  }

  @Test
  void aToolCallIdWithoutSignatureStillWorks() {
    upstream.reply(UpstreamReply.text("Done."));
    Http.Reply reply = http.post("/v1/chat/completions", new JsonObject().put("model", "google:gemini-2.5-flash")
        .put("messages", new JsonArray()
            .add(new JsonObject().put("role", "user").put("content", "find vertx"))
            .add(new JsonObject().put("role", "assistant").put("tool_calls", new JsonArray().add(new JsonObject()
                .put("id", "call_plain").put("type", "function").put("function", new JsonObject()
                    .put("name", "lookup").put("arguments", "{\"q\":\"vertx\"}")))))
            .add(new JsonObject().put("role", "tool").put("tool_call_id", "call_plain").put("content", "one hit"))));
    assertThat(reply.status()).isEqualTo(200);
    JsonObject callPart = upstream.last().body().getJsonArray("contents").getJsonObject(1).getJsonArray("parts")
        .getJsonObject(0);
    assertThat(callPart.containsKey("thoughtSignature")).isFalse();
    assertThat(callPart.getJsonObject("functionCall").getString("name")).isEqualTo("lookup");
  }

  @Test
  void thoughtSignatureOfAFunctionCallGoesBackThroughTheResponsesApi() {
    upstream.reply(UpstreamReply.toolCall("lookup", new JsonObject().put("q", "vertx")));
    Http.Reply first = http.post("/v1/responses", new JsonObject().put("model", "google:gemini-2.5-pro")
        .put("input", "find vertx").put("tools", new JsonArray().add(new JsonObject().put("type", "function")
            .put("name", "lookup").put("parameters", new JsonObject().put("type", "object")))));
    assertThat(first.status()).isEqualTo(200);
    JsonArray output = first.json().getJsonArray("output");
    JsonObject reasoning = output.getJsonObject(0);
    JsonObject call = output.getJsonObject(1);
    assertThat(reasoning.getString("encrypted_content")).isEqualTo(GeminiUpstream.THOUGHT_SIGNATURE);
    assertThat(call.getString("type")).isEqualTo("function_call");

    upstream.reply(UpstreamReply.text("Vert.x is a toolkit."));
    Http.Reply second = http.post("/v1/responses", new JsonObject().put("model", "google:gemini-2.5-pro")
        .put("input", new JsonArray()
            .add(new JsonObject().put("role", "user").put("content", "find vertx"))
            .add(reasoning).add(call)
            .add(new JsonObject().put("type", "function_call_output").put("call_id", call.getString("call_id"))
                .put("output", "one hit"))));
    assertThat(second.status()).isEqualTo(200);
    JsonArray contents = upstream.last().body().getJsonArray("contents");
    JsonObject callPart = contents.getJsonObject(1).getJsonArray("parts").getJsonObject(0);
    assertThat(callPart.getString("thoughtSignature")).isEqualTo(GeminiUpstream.THOUGHT_SIGNATURE);
    assertThat(contents.getJsonObject(2).getJsonArray("parts").getJsonObject(0).getJsonObject("functionResponse"))
        .isEqualTo(new JsonObject().put("name", "lookup").put("response", new JsonObject().put("output", "one hit")));
  }

  @Test
  void jsonSchemaOutputAsksForJsonWithTheSchema() {
    upstream.reply(UpstreamReply.text("{\"age\":22}"));
    JsonObject schema = new JsonObject().put("type", "object")
        .put("properties", new JsonObject().put("age", new JsonObject().put("type", "integer")))
        .put("required", new JsonArray().add("age")).put("additionalProperties", false);
    ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model("google:gemini-2.5-flash").addUserMessage("age?")
        .responseFormat(ResponseFormatJsonSchema.builder().jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder()
            .name("person").schema(ResponseFormatJsonSchema.JsonSchema.Schema.builder()
                .putAdditionalProperty("type", JsonValue.from("object"))
                .putAdditionalProperty("properties", JsonValue.from(Map.of("age", Map.of("type", "integer"))))
                .putAdditionalProperty("required", JsonValue.from(List.of("age")))
                .putAdditionalProperty("additionalProperties", JsonValue.from(false))
                .build()).strict(true).build()).build())
        .build());
    assertThat(completion.choices().get(0).message().content()).contains("{\"age\":22}");
    JsonObject generation = upstream.last().body().getJsonObject("generationConfig");
    assertThat(generation.getString("responseMimeType")).isEqualTo("application/json");
    assertThat(generation.getJsonObject("responseJsonSchema")).isEqualTo(schema);
  }

  @Test
  void imagesArriveInlineFromDataUrlsAndFetchedUrls() {
    JsonObject request = new JsonObject().put("model", "google:gemini-2.5-flash").put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", new JsonArray()
            .add(new JsonObject().put("type", "text").put("text", "What is in these?"))
            .add(image("data:image/png;base64," + ImageServer.PNG_BASE64))
            .add(image(images.url("/pixel.png"))))));
    Http.Reply reply = http.post("/v1/chat/completions", request);
    assertThat(reply.status()).isEqualTo(200);
    JsonArray parts = upstream.last().body().getJsonArray("contents").getJsonObject(0).getJsonArray("parts");
    JsonObject inline = new JsonObject().put("mimeType", "image/png").put("data", ImageServer.PNG_BASE64);
    assertThat(parts.getJsonObject(1).getJsonObject("inlineData")).isEqualTo(inline);
    assertThat(parts.getJsonObject(2).getJsonObject("inlineData")).isEqualTo(inline);
  }

  @Test
  void thoughtsComeBackAsReasoningWithReasoningTokens() {
    upstream.reply(UpstreamReply.text("Forty-two.").withReasoning("Let me think."));
    Http.Reply reply = http.post("/v1/chat/completions", new JsonObject().put("model", "google:gemini-2.5-flash")
        .put("reasoning_effort", "low").put("messages", new JsonArray()
            .add(new JsonObject().put("role", "user").put("content", "answer?"))));
    JsonObject message = reply.json().getJsonArray("choices").getJsonObject(0).getJsonObject("message");
    assertThat(message.getString("reasoning_content")).isEqualTo("Let me think.");
    assertThat(message.getString("content")).isEqualTo("Forty-two.");
    JsonObject usage = reply.json().getJsonObject("usage");
    assertThat(usage.getJsonObject("completion_tokens_details").getInteger("reasoning_tokens")).isEqualTo(5);
    assertThat(usage.getInteger("completion_tokens")).isEqualTo(6);
    assertThat(upstream.last().body().getJsonObject("generationConfig").getJsonObject("thinkingConfig"))
        .isEqualTo(new JsonObject().put("thinkingBudget", 1024).put("includeThoughts", true));
  }

  @Test
  void safetyStopsAndBlockedPromptsAreContentFilter() {
    upstream.reply(UpstreamReply.text("partial").finishingWith("SAFETY"));
    assertThat(finishReason(http.post("/v1/chat/completions", chat(false)))).isEqualTo("content_filter");
    upstream.reply(UpstreamReply.text("never").blockingPrompt("PROHIBITED_CONTENT"));
    assertThat(finishReason(http.post("/v1/chat/completions", chat(false)))).isEqualTo("content_filter");
    upstream.reply(UpstreamReply.text("cut short").finishingWith("MAX_TOKENS"));
    assertThat(finishReason(http.post("/v1/chat/completions", chat(false)))).isEqualTo("length");
  }

  @Test
  void rateLimitThenSuccess() {
    upstream.replyOnce(UpstreamReply.error(429, "Resource has been exhausted (e.g. check quota).").retryAfter("0"));
    Http.Reply reply = http.post("/v1/chat/completions", chat(true));
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().toString()).contains("Hello").endsWith("data: [DONE]\n\n");
    assertThat(upstream.received()).hasSize(2);
  }

  @Test
  void upstreamErrorsKeepStatusAndMessage() {
    upstream.reply(UpstreamReply.error(404, "models/nope is not found for API version v1beta"));
    Http.Reply reply = http.post("/v1/chat/completions", chat(false));
    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.error().getString("message")).contains("models/nope is not found");
    assertThat(reply.error().getString("code")).isEqualTo("INTERNAL");
  }

  @Test
  void streamCutMidwayEndsWithAnErrorEvent() {
    upstream.reply(UpstreamReply.text("one two three four five").cutMidStream());
    Http.Reply reply = http.post("/v1/chat/completions", chat(true));
    assertThat(reply.status()).isEqualTo(200);
    List<String[]> events = reply.events();
    assertThat(reply.body().toString()).contains("\"content\":\"one \"");
    JsonObject last = new JsonObject(events.get(events.size() - 1)[1]);
    assertThat(last.getJsonObject("error").getString("message")).contains("google");
    assertThat(reply.body().toString()).doesNotContain("[DONE]");
  }

  @Test
  void responsesStreamIsAcceptedByTheSdk() {
    upstream.reply(UpstreamReply.text("streamed words here").withReasoning("thinking first"));
    Response response = SdkResponseStream.read(client, ResponseCreateParams.builder().model("google:gemini-2.5-flash")
        .input("stream please").build());
    response.validate();
    assertThat(response.output().get(0).isReasoning()).isTrue();
    assertThat(response.output().get(1).asMessage().content().get(0).asOutputText().text())
        .isEqualTo("streamed words here");
    assertThat(response.usage().orElseThrow().totalTokens()).isEqualTo(29);
  }

  @Test
  void responsesMessagesFormStreams() {
    Http.Reply reply = http.post("/v1/responses", new JsonObject().put("model", "google:gemini-2.5-flash")
        .put("stream", true).put("messages", new JsonArray()
            .add(new JsonObject().put("role", "user").put("content", "hi"))));
    List<String> names = reply.events().stream().map(event -> event[0]).toList();
    assertThat(names.get(0)).isEqualTo("response.start");
    assertThat(names).contains("content.delta");
    assertThat(names.get(names.size() - 1)).isEqualTo("response.done");
    assertThat(reply.body().toString()).contains("Hello from the upstream");
  }

  private static JsonObject image(String url) {
    return new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", url));
  }

  private static JsonObject chat(boolean stream) {
    return new JsonObject().put("model", "google:gemini-2.5-flash").put("stream", stream)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));
  }

  private static String finishReason(Http.Reply reply) {
    return reply.json().getJsonArray("choices").getJsonObject(0).getString("finish_reason");
  }
}
