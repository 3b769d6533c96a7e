package io.lmbridge.ingress.responses;

import io.lmbridge.chat.ChatEvent;
import io.lmbridge.chat.FinishReason;
import io.lmbridge.chat.Usage;
import io.lmbridge.chat.openai.TokenLogprobsJson;
import io.lmbridge.ingress.SseFrame;
import io.lmbridge.ingress.StreamRenderer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Responses API event sequence that openai-java's and openai-node's stream helpers accept:
 * {@code response.created}, {@code response.in_progress}, then per output item
 * {@code output_item.added}, its content events, {@code output_item.done}, and finally
 * {@code response.completed} (or {@code incomplete} / {@code failed}). Every event carries
 * {@code sequence_number}; text events carry {@code logprobs: []}, which the SDKs require.
 */
final class ResponsesStream implements StreamRenderer {

  private final ResponseObject response;
  private final List<OutputItem> items = new ArrayList<>();
  private final Map<Integer, OutputItem> toolCalls = new HashMap<>();
  private OutputItem open;
  private FinishReason finish;
  private Usage usage;
  private int sequence;

  ResponsesStream(ResponseObject response) {
    this.response = response;
  }

  @Override
  public List<SseFrame> start() {
    List<SseFrame> frames = new ArrayList<>();
    frames.add(event("response.created", new JsonObject().put("response", response.inProgress())));
    frames.add(event("response.in_progress", new JsonObject().put("response", response.inProgress())));
    return frames;
  }

  @Override
  public List<SseFrame> render(List<ChatEvent> events) {
    List<SseFrame> frames = new ArrayList<>();
    for (ChatEvent event : events) {
      if (event instanceof ChatEvent.TextDelta text && text.choice() == 0) {
        OutputItem message = openItem(OutputItem.Kind.MESSAGE, frames);
        message.text.append(text.text());
        JsonArray logprobs = new JsonArray();
        if (text.logprobs() != null) {
          message.logprobs.addAll(text.logprobs());
          logprobs = TokenLogprobsJson.write(text.logprobs());
        }
        frames.add(event("response.output_text.delta", contentRef(message)
            .put("delta", text.text()).put("logprobs", logprobs)));
      } else if (event instanceof ChatEvent.ReasoningDelta reasoning && reasoning.choice() == 0) {
        OutputItem item = openItem(OutputItem.Kind.REASONING, frames);
        if (reasoning.signature() != null) {
          item.signature = reasoning.signature();
        }
        if (reasoning.text() != null && !reasoning.text().isEmpty()) {
          item.text.append(reasoning.text());
          frames.add(event("response.reasoning_text.delta", contentRef(item).put("delta", reasoning.text())));
        }
      } else if (event instanceof ChatEvent.ToolCallDelta call && call.choice() == 0) {
        OutputItem item = toolCalls.get(call.index());
        if (item == null) {
          close(frames);
          item = OutputItem.functionCall(call.id(), call.name());
          toolCalls.put(call.index(), item);
          add(item, frames);
        }
        if (call.arguments() != null && !call.arguments().isEmpty()) {
          item.text.append(call.arguments());
          frames.add(event("response.function_call_arguments.delta", itemRef(item).put("delta", call.arguments())));
        }
      } else if (event instanceof ChatEvent.Finish done && done.choice() == 0) {
        finish = done.reason();
      } else if (event instanceof ChatEvent.UsageReport report) {
        usage = report.usage();
      } else if (event instanceof ChatEvent.Failure failure) {
        frames.add(event("error", new JsonObject()
            .put("code", failure.error().code())
            .put("message", failure.error().message())
            .put("param", failure.error().param())));
        frames.add(event("response.failed", new JsonObject().put("response", response.failed(failure.error().message()))));
      }
    }
    return frames;
  }

  @Override
  public List<SseFrame> end() {
    List<SseFrame> frames = new ArrayList<>();
    close(frames);
    JsonObject finished = response.finished(items, finish, usage);
    String type = "incomplete".equals(finished.getString("status")) ? "response.incomplete" : "response.completed";
    frames.add(event(type, new JsonObject().put("response", finished)));
    return frames;
  }

  /** The open item of {@code kind}, opening a new one (and closing the previous) when needed. */
  private OutputItem openItem(OutputItem.Kind kind, List<SseFrame> frames) {
    if (open != null && open.kind == kind) {
      return open;
    }
    close(frames);
    OutputItem item = kind == OutputItem.Kind.MESSAGE ? OutputItem.message() : OutputItem.reasoning();
    add(item, frames);
    frames.add(event("response.content_part.added", contentRef(item)
        .put("part", kind == OutputItem.Kind.MESSAGE ? item.textPart() : item.reasoningPart())));
    return item;
  }

  private void add(OutputItem item, List<SseFrame> frames) {
    items.add(item);
    open = item;
    frames.add(event("response.output_item.added", new JsonObject()
        .put("output_index", items.size() - 1).put("item", item.toJson())));
  }

  private void close(List<SseFrame> frames) {
    if (open == null) {
      return;
    }
    OutputItem item = open;
    open = null;
    item.done = true;
    String text = item.text.toString();
    switch (item.kind) {
      case MESSAGE -> {
        frames.add(event("response.output_text.done", contentRef(item).put("text", text)
            .put("logprobs", TokenLogprobsJson.write(item.logprobs))));
        frames.add(event("response.content_part.done", contentRef(item).put("part", item.textPart())));
      }
      case REASONING -> {
        frames.add(event("response.reasoning_text.done", contentRef(item).put("text", text)));
        frames.add(event("response.content_part.done", contentRef(item).put("part", item.reasoningPart())));
      }
      case FUNCTION_CALL -> frames.add(event("response.function_call_arguments.done", itemRef(item)
          .put("name", item.name).put("arguments", text)));
    }
    frames.add(event("response.output_item.done", new JsonObject()
        .put("output_index", items.indexOf(item)).put("item", item.toJson())));
  }

  private JsonObject itemRef(OutputItem item) {
    return new JsonObject().put("item_id", item.id).put("output_index", items.indexOf(item));
  }

  private JsonObject contentRef(OutputItem item) {
    return itemRef(item).put("content_index", 0);
  }

  private SseFrame event(String type, JsonObject body) {
    JsonObject event = new JsonObject().put("type", type).put("sequence_number", sequence++);
    body.forEach(entry -> event.put(entry.getKey(), entry.getValue()));
    return SseFrame.named(type, event);
  }
}
