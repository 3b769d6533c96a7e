package io.lmbridge.provider.anthropic;

import com.openai.core.JsonValue;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseReasoningItem;
import io.lmbridge.testkit.AnthropicUpstream.Reply;
import io.lmbridge.testkit.Http;
import io.lmbridge.testkit.SdkResponseStream;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Both {@code /v1/responses} dialects against an Anthropic upstream, through the gateway. */
class AnthropicResponsesTest extends AnthropicGatewayTest {

  @Test
  void createAnswersWithTextAndUsage() {
    Response response = client.responses().create(ResponseCreateParams.builder()
        .model("anthropic:claude-sonnet-4-5")
        .instructions("Be brief.")
        .input("Say hello")
        .maxOutputTokens(100)
        .build());
    response.validate();
    assertThat(response.output().get(0).asMessage().content().get(0).asOutputText().text())
        .isEqualTo("Hello from Claude");
    assertThat(response.usage().orElseThrow().inputTokens()).isEqualTo(Reply.INPUT_TOKENS);
    assertThat(response.usage().orElseThrow().outputTokens()).isEqualTo(Reply.OUTPUT_TOKENS);
    JsonObject sent = upstream.last().body();
    assertThat(sent.getInteger("max_tokens")).isEqualTo(100);
    assertThat(sent.getJsonArray("system").getJsonObject(0).getString("text")).isEqualTo("Be brief.");
  }

  @Test
  void streamedThinkingAndToolCallRoundTripWithTheSignature() {
    upstream.reply(Reply.toolUse("toolu_1", "lookup", new JsonObject().put("q", "vertx"))
        .withThinking("I should look it up.", "sig-r"));
    FunctionTool lookup = FunctionTool.builder().name("lookup").strict(false)
        .parameters(FunctionTool.Parameters.builder().putAdditionalProperty("type", JsonValue.from("object")).build())
        .build();
    Response response = SdkResponseStream.read(client, ResponseCreateParams.builder()
        .model("anthropic:claude-sonnet-4-5").input("find vertx").addTool(lookup)
        .reasoning(com.openai.models.Reasoning.builder().effort(com.openai.models.ReasoningEffort.MEDIUM).build())
        .build());
    response.validate();
    assertThat(upstream.last().body().getJsonObject("thinking").getInteger("budget_tokens")).isEqualTo(8192);
    ResponseReasoningItem reasoning = response.output().get(0).asReasoning();
    assertThat(reasoning.encryptedContent()).contains("sig-r");
    assertThat(reasoning.content().orElseThrow().get(0).text()).isEqualTo("I should look it up.");
    ResponseFunctionToolCall call = response.output().get(1).asFunctionCall();
    assertThat(call.callId()).isEqualTo("toolu_1");
    assertThat(new JsonObject(call.arguments())).isEqualTo(new JsonObject().put("q", "vertx"));

    upstream.reply(Reply.text("Vert.x is a toolkit."));
    Response answer = client.responses().create(ResponseCreateParams.builder()
        .model("anthropic:claude-sonnet-4-5")
        .inputOfResponse(List.of(
            ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder()
                .role(EasyInputMessage.Role.USER).content("find vertx").build()),
            ResponseInputItem.ofReasoning(reasoning),
            ResponseInputItem.ofFunctionCall(call),
            ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
                .callId(call.callId()).output("{\"hits\":1}").build())))
        .addTool(lookup)
        .build());
    assertThat(answer.output().get(0).asMessage().content().get(0).asOutputText().text())
        .isEqualTo("Vert.x is a toolkit.");
    JsonArray messages = upstream.last().messages();
    JsonArray assistant = messages.getJsonObject(1).getJsonArray("content");
    assertThat(assistant.getJsonObject(0)).isEqualTo(new JsonObject().put("type", "thinking")
        .put("thinking", "I should look it up.").put("signature", "sig-r"));
    assertThat(assistant.getJsonObject(1).getString("type")).isEqualTo("tool_use");
    assertThat(messages.getJsonObject(2).getJsonArray("content").getJsonObject(0).getString("tool_use_id"))
        .isEqualTo("toolu_1");
  }

  @Test
  void messagesFormStreamsToResponseDone() {
    Http.Reply reply = http.post("/v1/responses", new JsonObject().put("model", "anthropic:claude-haiku-4-5")
        .put("stream", true)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hi"))));
    List<String[]> events = reply.events();
    assertThat(events.get(0)[0]).isEqualTo("response.start");
    assertThat(events.get(events.size() - 1)[0]).isEqualTo("response.done");
    JsonObject done = new JsonObject(events.get(events.size() - 1)[1]).getJsonObject("response");
    assertThat(done.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content"))
        .isEqualTo("Hello from Claude");
    assertThat(done.getJsonObject("usage").getInteger("total_tokens")).isEqualTo(Reply.INPUT_TOKENS + Reply.OUTPUT_TOKENS);
  }
}
