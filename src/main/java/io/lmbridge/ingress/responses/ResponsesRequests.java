package io.lmbridge.ingress.responses;

import io.lmbridge.chat.ChatRequest;
import io.lmbridge.chat.ContentPart;
import io.lmbridge.chat.JsonFields;
import io.lmbridge.chat.Message;
import io.lmbridge.chat.Reasoning;
import io.lmbridge.chat.Role;
import io.lmbridge.chat.Sampling;
import io.lmbridge.chat.ToolCall;
import io.lmbridge.chat.openai.OpenAiRequestFields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** Parses OpenAI Responses API bodies ({@code input}, {@code instructions}, flat tools and formats). */
final class ResponsesRequests {

  private ResponsesRequests() {
  }

  static ChatRequest parse(JsonObject body) {
    JsonFields fields = JsonFields.of(body);
    String model = fields.requiredString("model");
    if (fields.has("previous_response_id") || fields.has("conversation")) {
      throw JsonFields.invalid(fields.has("conversation") ? "conversation" : "previous_response_id",
          "the gateway keeps no conversation state; send the whole conversation in input");
    }
    List<Message> messages = new ArrayList<>();
    String instructions = fields.string("instructions");
    if (instructions != null) {
      messages.add(Message.text(Role.SYSTEM, instructions));
    }
    Object input = body.getValue("input");
    if (input instanceof String text) {
      messages.add(Message.text(Role.USER, text));
    } else if (input instanceof JsonArray) {
      new InputItems(messages).addAll(fields.objects("input"));
    } else {
      throw JsonFields.invalid("input", input == null ? "required" : "expected a string or an array of items");
    }
    if (messages.stream().noneMatch(message -> message.role() != Role.SYSTEM)) {
      throw JsonFields.invalid("input", "must contain at least one item");
    }
    JsonFields text = fields.child("text");
    JsonFields reasoning = fields.child("reasoning");
    String effort = reasoning == null ? null : reasoning.string("effort");
    return new ChatRequest(
        model,
        messages,
        OpenAiRequestFields.tools(fields, OpenAiRequestFields.FLAT),
        OpenAiRequestFields.toolChoice(fields, OpenAiRequestFields.FLAT),
        fields.bool("parallel_tool_calls"),
        text == null ? null : OpenAiRequestFields.responseFormat(text.child("format"), OpenAiRequestFields.FLAT),
        new Sampling(fields.number("temperature", 0, 2), fields.number("top_p", 0, 1), null,
            fields.smallInteger("max_output_tokens", 1), null, null, null, null, null, topLogprobs(fields)),
        effort == null ? null : new Reasoning(effort, null),
        Boolean.TRUE.equals(fields.bool("stream")),
        fields.stringMap("metadata"),
        fields.string("user"),
        null);
  }

  /**
   * Log probabilities, asked for by including {@code message.output_text.logprobs} or by
   * {@code top_logprobs} (alternatives per token).
   */
  private static Integer topLogprobs(JsonFields fields) {
    Integer top = OpenAiRequestFields.topLogprobs(fields);
    List<String> include = fields.stringOrStrings("include");
    boolean included = include != null && include.contains("message.output_text.logprobs");
    return top != null ? top : included ? Integer.valueOf(0) : null;
  }

  /**
   * Input items become chat turns: consecutive {@code function_call} items join the assistant turn
   * before them (parallel calls), and a {@code reasoning} item is kept for the assistant turn it precedes.
   */
  private static final class InputItems {

    private final List<Message> messages;
    private String pendingReasoning;
    private String pendingSignature;

    InputItems(List<Message> messages) {
      this.messages = messages;
    }

    void addAll(List<JsonFields> items) {
      for (JsonFields item : items) {
        String type = item.string("type");
        switch (type == null ? "message" : type) {
          case "message" -> message(item);
          case "function_call" -> functionCall(item);
          case "function_call_output" -> messages.add(new Message(Role.TOOL, output(item), null, null,
              item.requiredString("call_id"), null, null));
          case "reasoning" -> reasoning(item);
          default -> throw JsonFields.invalid(item.param("type"), "unsupported input item '" + type
              + "'; supported: message, function_call, function_call_output, reasoning");
        }
      }
    }

    private void message(JsonFields item) {
      String roleName = item.requiredString("role");
      Role role = switch (roleName) {
        case "user" -> Role.USER;
        case "assistant" -> Role.ASSISTANT;
        case "system" -> Role.SYSTEM;
        case "developer" -> Role.DEVELOPER;
        default -> throw JsonFields.invalid(item.param("role"),
            "unknown role '" + roleName + "'; expected user, assistant, system or developer");
      };
      List<ContentPart> content = content(item, role);
      if (role == Role.ASSISTANT) {
        messages.add(new Message(role, content, null, null, null, pendingReasoning, pendingSignature));
        pendingReasoning = null;
        pendingSignature = null;
      } else {
        messages.add(new Message(role, content, null, null, null, null, null));
      }
    }

    private void functionCall(JsonFields item) {
      ToolCall call = new ToolCall(item.requiredString("call_id"), item.requiredString("name"),
          item.string("arguments") == null ? "" : item.string("arguments"));
      Message last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
      if (last != null && last.role() == Role.ASSISTANT) {
        List<ToolCall> calls = new ArrayList<>(last.toolCalls());
        calls.add(call);
        messages.set(messages.size() - 1, new Message(Role.ASSISTANT, last.content(), null, calls, null,
            last.reasoning(), last.reasoningSignature()));
      } else {
        messages.add(new Message(Role.ASSISTANT, List.of(), null, List.of(call), null, pendingReasoning,
            pendingSignature));
        pendingReasoning = null;
        pendingSignature = null;
      }
    }

    private void reasoning(JsonFields item) {
      StringBuilder text = new StringBuilder();
      for (String field : List.of("content", "summary")) {
        for (JsonFields part : item.objects(field)) {
          if (part.string("text") != null && text.isEmpty()) {
            text.append(part.string("text"));
          }
        }
      }
      pendingReasoning = text.isEmpty() ? null : text.toString();
      pendingSignature = item.string("encrypted_content");
    }

    private static List<ContentPart> output(JsonFields item) {
      Object output = item.json().getValue("output");
      if (output instanceof String text) {
        return List.of(new ContentPart.Text(text));
      }
      if (output instanceof JsonArray) {
        return parts(item, "output", Role.TOOL);
      }
      throw JsonFields.invalid(item.param("output"), "required, a string or an array of content parts");
    }

    private static List<ContentPart> content(JsonFields item, Role role) {
      Object content = item.json().getValue("content");
      if (content instanceof String text) {
        return List.of(new ContentPart.Text(text));
      }
      if (content instanceof JsonArray) {
        return parts(item, "content", role);
      }
      throw JsonFields.invalid(item.param("content"), "required, a string or an array of content parts");
    }

    private static List<ContentPart> parts(JsonFields item, String field, Role role) {
      List<ContentPart> parts = new ArrayList<>();
      for (JsonFields part : item.objects(field)) {
        String type = part.requiredString("type");
        switch (type) {
          case "input_text", "output_text" -> parts.add(new ContentPart.Text(part.requiredString("text"),
              part.object("cache_control")));
          case "refusal" -> parts.add(new ContentPart.Text(part.requiredString("refusal")));
          case "input_image" -> {
            if (role != Role.USER) {
              throw JsonFields.invalid(part.param("type"), "images are only allowed in user messages");
            }
            String url = part.string("image_url");
            if (url == null) {
              throw JsonFields.invalid(part.param("image_url"), "required (file_id images are not supported)");
            }
            parts.add(new ContentPart.Image(url, part.string("detail"), part.object("cache_control")));
          }
          default -> throw JsonFields.invalid(part.param("type"),
              "unsupported content part '" + type + "'; supported: input_text, output_text, input_image");
        }
      }
      return parts;
    }
  }
}
