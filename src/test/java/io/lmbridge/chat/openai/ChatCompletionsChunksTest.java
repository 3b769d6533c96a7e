package io.lmbridge.chat.openai;

import io.lmbridge.chat.ChatEvent;
import io.lmbridge.chat.FinishReason;
import io.lmbridge.chat.TokenLogprob;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChatCompletionsChunksTest {

  private static final String AWKWARD = "quote \" backslash \\ newline \n tab \t unicode é 漢 \u0001";

  @Test
  void templatedTextChunksAreTheSameJsonAsBuiltOnes() {
    for (boolean includeUsage : new boolean[] {true, false}) {
      var renderer = new ChatCompletionsChunks.Renderer("chatcmpl-\"x\"", "openai:gpt-4o", 1700000000, includeUsage);
      List<String> chunks = renderer.render(List.of(new ChatEvent.TextDelta(1, AWKWARD)));

      assertThat(chunks).hasSize(2);
      JsonObject text = new JsonObject(chunks.get(1));
      JsonObject expected = new JsonObject()
          .put("id", "chatcmpl-\"x\"")
          .put("object", "chat.completion.chunk")
          .put("created", 1700000000)
          .put("model", "openai:gpt-4o")
          .put("choices", new JsonArray().add(new JsonObject()
              .put("index", 1)
              .put("delta", new JsonObject().put("content", AWKWARD))
              .put("logprobs", null)
              .put("finish_reason", null)));
      if (includeUsage) {
        expected.put("usage", null);
      }
      assertThat(text).isEqualTo(expected);
      assertThat(new JsonObject(chunks.get(0)).getJsonArray("choices").getJsonObject(0).getJsonObject("delta")
          .getString("role")).isEqualTo("assistant");
    }
  }

  @Test
  void upstreamChunksBecomeCanonicalEvents() {
    JsonObject chunk = new JsonObject().put("choices", new JsonArray().add(new JsonObject()
        .put("index", 0)
        .put("delta", new JsonObject().put("content", "hi").put("reasoning_content", "hmm")
            .put("tool_calls", new JsonArray().add(new JsonObject().put("index", 0).put("id", "call_1")
                .put("function", new JsonObject().put("name", "f").put("arguments", "{\"a\"")))))
        .put("finish_reason", "tool_calls")));
    assertThat(ChatCompletionsChunks.parse(chunk, "openai")).containsExactly(
        new ChatEvent.ReasoningDelta(0, "hmm", null),
        new ChatEvent.TextDelta(0, "hi"),
        new ChatEvent.ToolCallDelta(0, 0, "call_1", "f", "{\"a\""),
        new ChatEvent.Finish(0, FinishReason.TOOL_CALLS));
  }

  @Test
  void logprobsTravelFromUpstreamChunksToClientChunks() {
    JsonArray content = new JsonArray().add(new JsonObject().put("token", "Hi").put("logprob", -0.5)
        .put("bytes", new JsonArray().add(72).add(105)).put("top_logprobs", new JsonArray()
            .add(new JsonObject().put("token", "Hi").put("logprob", -0.5).put("bytes", new JsonArray().add(72).add(105)))
            .add(new JsonObject().put("token", "Yo").put("logprob", -1.25).put("bytes", new JsonArray().add(89).add(111)))));
    JsonObject chunk = new JsonObject().put("choices", new JsonArray().add(new JsonObject().put("index", 0)
        .put("delta", new JsonObject().put("content", "Hi"))
        .put("logprobs", new JsonObject().put("content", content))));

    List<ChatEvent> events = ChatCompletionsChunks.parse(chunk, "openai");

    ChatEvent.TextDelta text = (ChatEvent.TextDelta) events.get(0);
    assertThat(text.text()).isEqualTo("Hi");
    assertThat(text.logprobs()).singleElement().satisfies(token -> {
      assertThat(token.logprob()).isEqualTo(-0.5);
      assertThat(token.topLogprobs()).extracting(TokenLogprob::token).containsExactly("Hi", "Yo");
    });
    List<String> rendered = new ChatCompletionsChunks.Renderer("id", "m", 1, false).render(events);
    assertThat(new JsonObject(rendered.get(1)).getJsonArray("choices").getJsonObject(0).getJsonObject("logprobs"))
        .isEqualTo(new JsonObject().put("content", content).put("refusal", null));
  }
}
