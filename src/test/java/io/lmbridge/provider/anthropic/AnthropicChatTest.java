package io.lmbridge.provider.anthropic;

import com.openai.core.JsonValue;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import io.lmbridge.testkit.AnthropicUpstream.Reply;
import io.lmbridge.testkit.AnthropicUpstream;
import io.lmbridge.testkit.Http;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Chat Completions clients against an Anthropic upstream, through the gateway. */
class AnthropicChatTest extends AnthropicGatewayTest {

  private static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

  @Test
  void textCompletionThroughTheSdk() {
    ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model("anthropic:claude-sonnet-4")
        .addSystemMessage("Be brief.")
        .addUserMessage("Say hello")
        .temperature(1.5)
        .topP(0.9)
        .stop("END")
        .user("user-7")
        .build());

    assertThat(completion.choices().get(0).message().content()).contains("Hello from Claude");
    assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(Reply.INPUT_TOKENS);
    assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(Reply.OUTPUT_TOKENS);

    AnthropicUpstream.Received sent = upstream.last();
    assertThat(sent.headers().get("x-api-key")).isEqualTo(KEY);
    assertThat(sent.headers().get("anthropic-version")).isEqualTo("2023-06-01");
    JsonObject body = sent.body();
    assertThat(body.getString("model")).isEqualTo("claude-sonnet-4-0");
    assertThat(body.getJsonArray("system")).isEqualTo(new JsonArray()
        .add(new JsonObject().put("type", "text").put("text", "Be brief.")));
    assertThat(sent.messages()).isEqualTo(new JsonArray().add(new JsonObject().put("role", "user")
        .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", "Say hello")))));
    assertThat(body.getInteger("max_tokens")).isEqualTo(AnthropicRequests.DEFAULT_MAX_TOKENS);
    assertThat(body.getDouble("temperature")).isEqualTo(1.0);
    assertThat(body.getDouble("top_p")).isEqualTo(0.9);
    assertThat(body.getJsonArray("stop_sequences")).containsExactly("END");
    assertThat(body.getJsonObject("metadata").getString("user_id")).isEqualTo("user-7");
  }

  @Test
  void streamArrivesInOrderWithUsageLast() {
    Http.Reply reply = http.post("/v1/chat/completions", chat(true)
        .put("stream_options", new JsonObject().put("include_usage", true))
        .put("max_completion_tokens", 77));
    assertThat(upstream.last().body().getInteger("max_tokens")).isEqualTo(77);
    List<String[]> events = reply.events();
    assertThat(events.get(events.size() - 1)[1]).isEqualTo("[DONE]");
    List<JsonObject> chunks = events.subList(0, events.size() - 1).stream().map(e -> new JsonObject(e[1])).toList();
    assertThat(delta(chunks.get(0)).getString("role")).isEqualTo("assistant");
    StringBuilder text = new StringBuilder();
    chunks.subList(1, chunks.size() - 2).forEach(chunk -> text.append(delta(chunk).getString("content")));
    assertThat(text.toString()).isEqualTo("Hello from Claude");
    assertThat(chunks.get(chunks.size() - 2).getJsonArray("choices").getJsonObject(0).getString("finish_reason"))
        .isEqualTo("stop");
    JsonObject usage = chunks.get(chunks.size() - 1).getJsonObject("usage");
    assertThat(usage.getInteger("prompt_tokens")).isEqualTo(Reply.INPUT_TOKENS);
    assertThat(usage.getInteger("completion_tokens")).isEqualTo(Reply.OUTPUT_TOKENS);
  }

  @Test
  void parallelToolCallsAndTheirResultsGoBackAsToolUseAndToolResultBlocks() {
    upstream.reply(Reply.toolUse("toolu_1", "get_weather", new JsonObject().put("city", "Paris"))
        .andToolUse("toolu_2", "get_weather", new JsonObject().put("city", "Rome")));
    ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder()
        .model("anthropic:claude-sonnet-4-5")
        .addUserMessage("Weather in Paris and Rome?")
        .toolChoice(com.openai.models.chat.completions.ChatCompletionToolChoiceOption.Auto.REQUIRED)
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
    List<ChatCompletionMessageToolCall> calls = message.toolCalls().orElseThrow();
    assertThat(first.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    assertThat(calls).hasSize(2);
    assertThat(calls.get(1).asFunction().id()).isEqualTo("toolu_2");
    assertThat(calls.get(1).asFunction().function().arguments()).isEqualTo("{\"city\":\"Rome\"}");
    JsonObject tool = upstream.last().body().getJsonArray("tools").getJsonObject(0);
    assertThat(tool.getString("name")).isEqualTo("get_weather");
    assertThat(tool.getJsonObject("input_schema").getString("type")).isEqualTo("object");
    assertThat(upstream.last().body().getJsonObject("tool_choice").getString("type")).isEqualTo("any");

    upstream.reply(Reply.text("Sunny in both."));
    params.addMessage(message);
    for (ChatCompletionMessageToolCall call : calls) {
      params.addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.asFunction().id())
          .content("{\"sky\":\"clear\"}").build());
    }
    ChatCompletion second = client.chat().completions().create(params.build());
    assertThat(second.choices().get(0).message().content()).contains("Sunny in both.");

    JsonArray messages = upstream.last().messages();
    assertThat(messages).hasSize(3);
    JsonArray toolUses = messages.getJsonObject(1).getJsonArray("content");
    assertThat(toolUses.getJsonObject(1)).isEqualTo(new JsonObject().put("type", "tool_use").put("id", "toolu_2")
        .put("name", "get_weather").put("input", new JsonObject().put("city", "Rome")));
    JsonObject results = messages.getJsonObject(2);
    assertThat(results.getString("role")).isEqualTo("user");
    assertThat(results.getJsonArray("content")).hasSize(2);
    assertThat(results.getJsonArray("content").getJsonObject(0)).isEqualTo(new JsonObject()
        .put("type", "tool_result").put("tool_use_id", "toolu_1")
        .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", "{\"sky\":\"clear\"}"))));
  }

  @Test
  void streamedToolCallsAreNumberedAmongThemselves() {
    upstream.reply(Reply.toolUse("toolu_1", "lookup", new JsonObject().put("q", "vertx"))
        .andToolUse("toolu_2", "lookup", new JsonObject().put("q", "anthropic")).withThinking("Two lookups.", "sig-1"));
    Http.Reply reply = http.post("/v1/chat/completions", chat(true).put("parallel_tool_calls", false)
        .put("tools", new JsonArray().add(new JsonObject().put("type", "function")
            .put("function", new JsonObject().put("name", "lookup")))));
    assertThat(upstream.last().body().getJsonObject("tool_choice"))
        .isEqualTo(new JsonObject().put("type", "auto").put("disable_parallel_tool_use", true));
    Map<Integer, StringBuilder> arguments = new java.util.TreeMap<>();
    List<String> ids = new ArrayList<>();
    String finish = null;
    for (String[] event : reply.events()) {
      if ("[DONE]".equals(event[1])) {
        continue;
      }
      JsonObject choice = new JsonObject(event[1]).getJsonArray("choices").getJsonObject(0);
      finish = choice.getString("finish_reason", finish);
      JsonArray toolCalls = choice.getJsonObject("delta").getJsonArray("tool_calls");
      if (toolCalls != null) {
        JsonObject call = toolCalls.getJsonObject(0);
        if (call.getString("id") != null) {
          ids.add(call.getString("id"));
        }
        arguments.computeIfAbsent(call.getInteger("index"), i -> new StringBuilder())
            .append(call.getJsonObject("function").getString("arguments"));
      }
    }
    assertThat(ids).containsExactly("toolu_1", "toolu_2");
    assertThat(arguments.keySet()).containsExactly(0, 1);
    assertThat(new JsonObject(arguments.get(1).toString())).isEqualTo(new JsonObject().put("q", "anthropic"));
    assertThat(finish).isEqualTo("tool_calls");
  }

  @Test
  void jsonSchemaOutputIsAForcedToolRenderedAsText() {
    JsonObject schema = new JsonObject().put("type", "object")
        .put("properties", new JsonObject().put("city", new JsonObject().put("type", "string")))
        .put("required", new JsonArray().add("city"));
    JsonObject answer = new JsonObject().put("city", "Paris");
    upstream.reply(Reply.toolUse("toolu_9", "place", answer));
    JsonObject request = chat(false).put("response_format", new JsonObject().put("type", "json_schema")
        .put("json_schema", new JsonObject().put("name", "place").put("schema", schema).put("strict", true)));

    JsonObject choice = http.post("/v1/chat/completions", request).json().getJsonArray("choices").getJsonObject(0);
    assertThat(new JsonObject(choice.getJsonObject("message").getString("content"))).isEqualTo(answer);
    assertThat(choice.getJsonObject("message").getValue("tool_calls")).isNull();
    assertThat(choice.getString("finish_reason")).isEqualTo("stop");
    JsonObject sent = upstream.last().body();
    assertThat(sent.getJsonArray("tools").getJsonObject(0).getJsonObject("input_schema")).isEqualTo(schema);
    assertThat(sent.getJsonObject("tool_choice"))
        .isEqualTo(new JsonObject().put("type", "tool").put("name", "place"));

    StringBuilder streamed = new StringBuilder();
    String finish = null;
    for (String[] event : http.post("/v1/chat/completions", request.copy().put("stream", true)).events()) {
      if (!"[DONE]".equals(event[1])) {
        JsonObject streamedChoice = new JsonObject(event[1]).getJsonArray("choices").getJsonObject(0);
        streamed.append(streamedChoice.getJsonObject("delta").getString("content", ""));
        finish = streamedChoice.getString("finish_reason", finish);
      }
    }
    assertThat(new JsonObject(streamed.toString())).isEqualTo(answer);
    assertThat(finish).isEqualTo("stop");
  }

  @Test
  void imagesGoAsBase64OrUrlSources() {
    JsonObject request = new JsonObject().put("model", "anthropic:claude-sonnet-4-5").put("messages", new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", new JsonArray()
            .add(new JsonObject().put("type", "text").put("text", "Compare these."))
            .add(image("data:image/png;base64," + PNG))
            .add(image("https://example.com/cat.jpg")))));
    assertThat(http.post("/v1/chat/completions", request).status()).isEqualTo(200);

    JsonArray content = upstream.last().messages().getJsonObject(0).getJsonArray("content");
    assertThat(content.getJsonObject(1)).isEqualTo(new JsonObject().put("type", "image").put("source",
        new JsonObject().put("type", "base64").put("media_type", "image/png").put("data", PNG)));
    assertThat(content.getJsonObject(2)).isEqualTo(new JsonObject().put("type", "image").put("source",
        new JsonObject().put("type", "url").put("url", "https://example.com/cat.jpg")));
  }

  @Test
  void thinkingComesBackWithItsSignatureAndGoesBackUpstream() {
    upstream.reply(Reply.text("42.").withThinking("Let me think.", "sig-abc"));
    JsonObject request = chat(false).put("thinking", new JsonObject().put("type", "enabled").put("budget_tokens", 2048));
    JsonObject message = http.post("/v1/chat/completions", request).json()
        .getJsonArray("choices").getJsonObject(0).getJsonObject("message");
    assertThat(message.getString("reasoning_content")).isEqualTo("Let me think.");
    assertThat(message.getString("reasoning_signature")).isEqualTo("sig-abc");
    assertThat(message.getString("content")).isEqualTo("42.");
    JsonObject sent = upstream.last().body();
    assertThat(sent.getJsonObject("thinking"))
        .isEqualTo(new JsonObject().put("type", "enabled").put("budget_tokens", 2048));
    assertThat(sent.getInteger("max_tokens")).isEqualTo(2048 + AnthropicRequests.DEFAULT_MAX_TOKENS);

    StringBuilder reasoning = new StringBuilder();
    String signature = null;
    for (String[] event : http.post("/v1/chat/completions", request.copy().put("stream", true)).events()) {
      if (!"[DONE]".equals(event[1])) {
        JsonObject delta = delta(new JsonObject(event[1]));
        reasoning.append(delta.getString("reasoning_content", ""));
        signature = delta.getString("reasoning_signature", signature);
      }
    }
    assertThat(reasoning.toString()).isEqualTo("Let me think.");
    assertThat(signature).isEqualTo("sig-abc");

    JsonObject followUp = request.copy().put("reasoning_effort", "low").put("thinking", null);
    followUp.getJsonArray("messages").add(message.copy().put("role", "assistant"))
        .add(new JsonObject().put("role", "user").put("content", "Why?"));
    http.post("/v1/chat/completions", followUp);
    JsonObject assistant = upstream.last().messages().getJsonObject(1);
    assertThat(assistant.getJsonArray("content").getJsonObject(0)).isEqualTo(new JsonObject()
        .put("type", "thinking").put("thinking", "Let me think.").put("signature", "sig-abc"));
    assertThat(upstream.last().body().getJsonObject("thinking").getInteger("budget_tokens")).isEqualTo(2048);
  }

  @Test
  void cachedSystemPromptIsMarkedAndItsCachedTokensReported() {
    JsonObject cache = new JsonObject().put("type", "ephemeral");
    JsonObject request = new JsonObject().put("model", "anthropic:claude-sonnet-4-5").put("messages", new JsonArray()
        .add(new JsonObject().put("role", "system").put("content", new JsonArray()
            .add(new JsonObject().put("type", "text").put("text", "A long, stable prompt.").put("cache_control", cache))))
        .add(new JsonObject().put("role", "user").put("content", "Hi").put("cache_control", cache)));
    JsonObject usage = http.post("/v1/chat/completions", request).json().getJsonObject("usage");

    JsonObject sent = upstream.last().body();
    assertThat(sent.getJsonArray("system").getJsonObject(0).getJsonObject("cache_control")).isEqualTo(cache);
    assertThat(sent.getJsonArray("messages").getJsonObject(0).getJsonArray("content").getJsonObject(0)
        .getJsonObject("cache_control")).isEqualTo(cache);
    assertThat(usage.getInteger("prompt_tokens")).isEqualTo(Reply.INPUT_TOKENS + Reply.CACHED_TOKENS);
    assertThat(usage.getJsonObject("prompt_tokens_details").getInteger("cached_tokens")).isEqualTo(Reply.CACHED_TOKENS);
  }

  @Test
  void severalCompletionsAreRefusedBeforeTheUpstreamIsCalled() {
    Http.Reply reply = http.post("/v1/chat/completions", chat(false).put("n", 2));
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.error().getString("param")).isEqualTo("n");
    assertThat(upstream.received()).isEmpty();
  }

  private static JsonObject chat(boolean stream) {
    return new JsonObject().put("model", "anthropic:claude-sonnet-4-5").put("stream", stream)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hi")));
  }

  private static JsonObject image(String url) {
    return new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", url));
  }

  private static JsonObject delta(JsonObject chunk) {
    return chunk.getJsonArray("choices").getJsonObject(0).getJsonObject("delta");
  }
}
