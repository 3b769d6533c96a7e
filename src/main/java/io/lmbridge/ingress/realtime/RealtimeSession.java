package io.lmbridge.ingress.realtime;

import io.lmbridge.chat.ApiException;
import io.lmbridge.chat.ChatRequest;
import io.lmbridge.chat.Ids;
import io.lmbridge.chat.JsonFields;
import io.lmbridge.chat.JsonSyntax;
import io.lmbridge.chat.Message;
import io.lmbridge.chat.Role;
import io.lmbridge.chat.Sampling;
import io.lmbridge.provider.ModelRouter;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One client's WebSocket: its settings, its conversation and at most one response in flight. Every
 * bad client event gets an {@code error} event and the session goes on; closing the socket cancels
 * the response in flight.
 */
final class RealtimeSession {

  private final SessionServices services;
  private final ServerWebSocket socket;
  private final Runnable onClose;
  private final String sessionId = "sess_" + Ids.next();
  private final String conversationId = "conv_" + Ids.next();
  private final Conversation conversation = new Conversation();
  private RealtimeDialect dialect;
  private ResponseSettings settings;
  private RealtimeResponse inFlight;
  private long lastActivity = System.nanoTime();
  private long idleTimer;

  RealtimeSession(SessionServices services, ServerWebSocket socket, RealtimeDialect dialect, String model,
                  Runnable onClose) {
    this.services = services;
    this.socket = socket;
    this.dialect = dialect;
    this.settings = ResponseSettings.initial(model);
    this.onClose = onClose;
  }

  void start() {
    socket.textMessageHandler(this::onMessage);
    socket.binaryMessageHandler(binary -> send(ServerEvents.error(ServerEvents.invalid("invalid_event",
        "client events are JSON text messages, not binary ones", null), null)));
    socket.closeHandler(v -> closed());
    socket.exceptionHandler(this::onSocketFailure);
    send(ServerEvents.of("session.created").put("session", settings.sessionJson(sessionId, dialect)));
    armIdleTimer(idleMillis());
  }

  private void onMessage(String text) {
    lastActivity = System.nanoTime();
    JsonObject event;
    try {
      event = JsonSyntax.object("the event", text);
    } catch (IllegalArgumentException e) {
      send(ServerEvents.error(ServerEvents.invalid("invalid_json", e.getMessage(), null), null));
      return;
    }
    try {
      handle(JsonFields.of(event));
    } catch (ApiException e) {
      send(ServerEvents.error(e.error(), event.getValue("event_id") instanceof String id ? id : null));
    }
  }

  /**
   * Vert.x reports an event over the message size limit here (as an {@code IllegalStateException})
   * and drops it; the client is told why, then the socket closes with 1009 (message too big).
   */
  private void onSocketFailure(Throwable failure) {
    if (failure instanceof IllegalStateException) {
      send(ServerEvents.error(ServerEvents.invalid("message_too_large", "client events are limited to "
          + services.config().get().realtime().maxMessageBytes() + " bytes (realtime.max_message_bytes)", null), null));
      socket.close((short) 1009, "message too large");
    }
  }

  private void handle(JsonFields event) {
    String type = event.requiredString("type");
    switch (type) {
      case "session.update" -> updateSession(required(event, "session"));
      case "conversation.item.create" -> createItem(event);
      case "conversation.item.delete" -> {
        String itemId = event.requiredString("item_id");
        conversation.delete(itemId);
        send(ServerEvents.of("conversation.item.deleted").put("item_id", itemId));
      }
      case "conversation.item.retrieve" -> send(ServerEvents.of("conversation.item.retrieved").put("item",
          ConversationItems.render(conversation.get(event.requiredString("item_id"), "item_id"), dialect)));
      case "response.create" -> createResponse(event.child("response"));
      case "response.cancel" -> cancelResponse(event.string("response_id"));
      case "input_audio_buffer.append", "input_audio_buffer.commit", "input_audio_buffer.clear",
          "output_audio_buffer.clear", "conversation.item.truncate", "transcription_session.update" ->
          throw ServerEvents.audioUnsupported("'" + type + "'", "type").exception();
      default -> throw ServerEvents.invalid("invalid_event_type", "unknown client event type '" + type
          + "'; supported: session.update, conversation.item.create, conversation.item.delete, "
          + "conversation.item.retrieve, response.create, response.cancel", "type").exception();
    }
  }

  private void updateSession(JsonFields session) {
    ResponseSettings updated = settings.overriddenBy(session);
    if (session.has("model")) {
      ModelRouter.resolve(services.config().get(), updated.model());
    }
    settings = updated;
    // A session written in the beta's shape (no GA "type", beta field names) is a beta client.
    if (!session.has("type") && (session.has("modalities") || session.has("max_response_output_tokens"))) {
      dialect = RealtimeDialect.BETA;
    }
    send(ServerEvents.of("session.updated").put("session", settings.sessionJson(sessionId, dialect)));
  }

  private void createItem(JsonFields event) {
    JsonObject item = ConversationItems.accept(required(event, "item"));
    String previous = conversation.add(item, event.string("previous_item_id"));
    JsonObject rendered = ConversationItems.render(item, dialect);
    if (dialect == RealtimeDialect.BETA) {
      send(ServerEvents.of("conversation.item.created").put("previous_item_id", previous).put("item", rendered));
    } else {
      send(ServerEvents.of("conversation.item.added").put("previous_item_id", previous).put("item", rendered));
      send(ServerEvents.of("conversation.item.done").put("previous_item_id", previous).put("item", rendered));
    }
  }

  /**
   * A response over the conversation with the session's settings; {@code params} may override them,
   * and its {@code input} (or {@code conversation: "none"}) makes a response apart from the
   * conversation, which it then neither reads nor extends.
   */
  private void createResponse(JsonFields params) {
    if (inFlight != null) {
      throw ServerEvents.invalid("conversation_already_has_active_response", "response " + inFlight.id
          + " is still in progress; wait for its response.done or send response.cancel", null).exception();
    }
    ResponseSettings effective = params == null ? settings : settings.overriddenBy(params);
    if (effective.model() == null) {
      throw ServerEvents.invalid("model_required", "no model: connect to /v1/realtime?model=provider:model or "
          + "send session.update with session.model", "session.model").exception();
    }
    ModelRouter.Route route = ModelRouter.resolve(services.config().get(), effective.model());
    boolean apart = params != null && (params.has("input") || "none".equals(params.string("conversation")));
    List<JsonObject> items = params != null && params.has("input") ? input(params) : conversation.items();
    List<Message> messages = new ArrayList<>();
    if (effective.instructions() != null && !effective.instructions().isEmpty()) {
      messages.add(Message.text(Role.SYSTEM, effective.instructions()));
    }
    messages.addAll(ConversationItems.toMessages(items));
    ChatRequest request = new ChatRequest(route.model(), messages, effective.tools(), effective.toolChoice(), null,
        null, new Sampling(effective.temperature(), null, null, effective.maxOutputTokens(), null, null, null, null,
        null, null), null, true, null, null, null);
    inFlight = new RealtimeResponse(services, dialect, conversationId, effective, route, request, this::send,
        output -> {
          inFlight = null;
          if (!apart) {
            conversation.addAll(output);
          }
        });
    inFlight.start();
  }

  /** A response's own items; an {@code item_reference} names one of the conversation's. */
  private List<JsonObject> input(JsonFields params) {
    List<JsonObject> items = new ArrayList<>();
    for (JsonFields item : params.objects("input")) {
      items.add("item_reference".equals(item.string("type"))
          ? conversation.get(item.requiredString("id"), item.param("id"))
          : ConversationItems.accept(item));
    }
    return items;
  }

  private void cancelResponse(String responseId) {
    if (inFlight == null || (responseId != null && !responseId.equals(inFlight.id))) {
      throw ServerEvents.invalid("response_cancel_not_active", responseId == null ? "no response is in progress"
          : "response " + responseId + " is not in progress", "response_id").exception();
    }
    inFlight.cancel();
  }

  private static JsonFields required(JsonFields event, String field) {
    JsonFields child = event.child(field);
    if (child == null) {
      throw JsonFields.invalid(field, "required, an object");
    }
    return child;
  }

  private void send(JsonObject event) {
    if (!socket.isClosed()) {
      socket.writeTextMessage(event.encode());
    }
  }

  private long idleMillis() {
    return TimeUnit.SECONDS.toMillis(services.config().get().realtime().idleTimeoutSeconds());
  }

  /** Closes a session nobody used for the idle timeout; a response in flight keeps it open. */
  private void armIdleTimer(long delay) {
    idleTimer = services.vertx().setTimer(delay, t -> {
      long idle = idleMillis();
      long quiet = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastActivity);
      if (inFlight == null && quiet >= idle) {
        socket.close((short) 1000, "idle for " + idle / 1000 + " s");
      } else {
        armIdleTimer(inFlight == null ? idle - quiet : idle);
      }
    });
  }

  private void closed() {
    services.vertx().cancelTimer(idleTimer);
    if (inFlight != null) {
      inFlight.clientGone();
    }
    onClose.run();
  }
}
