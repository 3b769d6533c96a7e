package io.lmbridge.chat.openai;

import io.lmbridge.chat.ChatResponse;
import io.lmbridge.chat.ContentPart;
import io.lmbridge.chat.FinishReason;
import io.lmbridge.chat.Message;
import io.lmbridge.chat.Role;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** OpenAI {@code chat.completion} objects: read from upstreams, written for clients. */
public final class ChatCompletionsResponses {

  private ChatCompletionsResponses() {
  }

  public static ChatResponse parse(JsonObject body) {
    List<ChatResponse.Choice> choices = new ArrayList<>();
    JsonArray array = body.getJsonArray("choices", new JsonArray());
    for (int i = 0; i < array.size(); i++) {
      JsonObject choice = array.getJsonObject(i);
      JsonObject message = choice.getJsonObject("message", new JsonObject());
      String text = message.getString("content");
      if (text == null) {
        text = message.getString("refusal");
      }
      List<ContentPart> content = text == null ? List.of() : List.of(new ContentPart.Text(text));
      Message assistant = new Message(Role.ASSISTANT, content, null,
          OpenAiJson.toolCalls(message.getJsonArray("tool_calls")), null, OpenAiJson.reasoning(message),
          message.getString(OpenAiJson.REASONING_SIGNATURE));
      FinishReason reason = OpenAiJson.finishReason(choice.getString("finish_reason"));
      choices.add(new ChatResponse.Choice(choice.getInteger("index", i), assistant,
          reason == null ? FinishReason.STOP : reason, OpenAiJson.logprobs(choice)));
    }
    JsonObject usage = body.getJsonObject("usage");
    return new ChatResponse(choices, usage == null ? null : OpenAiJson.usage(usage));
  }

  public static JsonObject write(ChatResponse response, String id, String model, long created) {
    JsonArray choices = new JsonArray();
    for (ChatResponse.Choice choice : response.choices()) {
      Message message = choice.message();
      JsonObject json = new JsonObject()
          .put("role", "assistant")
          .put("content", message.content().isEmpty() ? null : message.text())
          .put("refusal", null);
      if (message.reasoning() != null) {
        json.put("reasoning_content", message.reasoning());
      }
      if (message.reasoningSignature() != null) {
        json.put(OpenAiJson.REASONING_SIGNATURE, message.reasoningSignature());
      }
      if (!message.toolCalls().isEmpty()) {
        json.put("tool_calls", OpenAiJson.toolCalls(message.toolCalls()));
      }
      choices.add(new JsonObject()
          .put("index", choice.index())
          .put("message", json)
          .put("logprobs", OpenAiJson.logprobs(choice.logprobs()))
          .put("finish_reason", choice.finishReason().wireName()));
    }
    JsonObject body = new JsonObject()
        .put("id", id)
        .put("object", "chat.completion")
        .put("created", created)
        .put("model", model)
        .put("choices", choices);
    if (response.usage() != null) {
      body.put("usage", OpenAiJson.usage(response.usage()));
    }
    return body;
  }
}
