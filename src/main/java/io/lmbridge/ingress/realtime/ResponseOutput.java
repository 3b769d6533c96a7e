package io.lmbridge.ingress.realtime;

import io.lmbridge.chat.Ids;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.function.Consumer;

/**
 * One output item of a response as it streams: an assistant message or a function call. It writes
 * the events that open it, carry its deltas and close it, and gives the finished item.
 */
abstract sealed class ResponseOutput {

  final String id = "item_" + Ids.next();
  final String responseId;
  final int outputIndex;
  final RealtimeDialect dialect;
  private final Consumer<JsonObject> send;

  ResponseOutput(String responseId, int outputIndex, RealtimeDialect dialect, Consumer<JsonObject> send) {
    this.responseId = responseId;
    this.outputIndex = outputIndex;
    this.dialect = dialect;
    this.send = send;
  }

  /** The item in its current state, in the kept (GA) shape. */
  abstract JsonObject item(String status);

  abstract void opened();

  abstract void closing();

  void open() {
    send(itemEvent("response.output_item.added", "in_progress"));
    opened();
  }

  /** @param status {@code completed}, or {@code incomplete} when the response stopped short */
  JsonObject close(String status) {
    closing();
    send(itemEvent("response.output_item.done", status));
    return item(status);
  }

  private JsonObject itemEvent(String type, String status) {
    return ServerEvents.of(type).put("response_id", responseId).put("output_index", outputIndex)
        .put("item", ConversationItems.render(item(status), dialect));
  }

  /** An event about this item, with its place in the response. */
  JsonObject event(String type) {
    return ServerEvents.of(type).put("response_id", responseId).put("item_id", id).put("output_index", outputIndex);
  }

  void send(JsonObject event) {
    send.accept(event);
  }

  static final class Text extends ResponseOutput {

    private final StringBuilder text = new StringBuilder();

    Text(String responseId, int outputIndex, RealtimeDialect dialect, Consumer<JsonObject> send) {
      super(responseId, outputIndex, dialect, send);
    }

    void delta(String piece) {
      text.append(piece);
      send(event(dialect.textDelta).put("content_index", 0).put("delta", piece));
    }

    @Override
    JsonObject item(String status) {
      JsonArray content = new JsonArray();
      if (!status.equals("in_progress")) {
        content.add(new JsonObject().put("type", "output_text").put("text", text.toString()));
      }
      return new JsonObject().put("id", id).put("object", "realtime.item").put("type", "message")
          .put("status", status).put("role", "assistant").put("content", content);
    }

    @Override
    void opened() {
      send(event("response.content_part.added").put("content_index", 0).put("part", part("")));
    }

    @Override
    void closing() {
      send(event(dialect.textDone).put("content_index", 0).put("text", text.toString()));
      send(event("response.content_part.done").put("content_index", 0).put("part", part(text.toString())));
    }

    private static JsonObject part(String text) {
      return new JsonObject().put("type", "text").put("text", text);
    }
  }

  static final class FunctionCall extends ResponseOutput {

    final int toolIndex;
    private final String callId;
    private final String name;
    private final StringBuilder arguments = new StringBuilder();

    FunctionCall(String responseId, int outputIndex, RealtimeDialect dialect, Consumer<JsonObject> send,
                 int toolIndex, String callId, String name) {
      super(responseId, outputIndex, dialect, send);
      this.toolIndex = toolIndex;
      this.callId = callId == null ? "call_" + Ids.next() : callId;
      this.name = name;
    }

    void delta(String piece) {
      arguments.append(piece);
      send(event("response.function_call_arguments.delta").put("call_id", callId).put("delta", piece));
    }

    @Override
    JsonObject item(String status) {
      return new JsonObject().put("id", id).put("object", "realtime.item").put("type", "function_call")
          .put("status", status).put("call_id", callId).put("name", name)
          .put("arguments", status.equals("in_progress") ? "" : arguments.toString());
    }

    @Override
    void opened() {
    }

    @Override
    void closing() {
      send(event("response.function_call_arguments.done").put("call_id", callId).put("name", name)
          .put("arguments", arguments.toString()));
    }
  }
}
