package io.lmbridge.ingress.realtime;

import io.lmbridge.chat.ApiError;
import io.lmbridge.chat.Ids;
import io.vertx.core.json.JsonObject;

/** Server events: each has a {@code type} and a fresh {@code event_id}. */
final class ServerEvents {

  private ServerEvents() {
  }

  static JsonObject of(String type) {
    return new JsonObject().put("type", type).put("event_id", "event_" + Ids.next());
  }

  /**
   * An {@code error} event: the session stays open after it.
   *
   * @param clientEventId the {@code event_id} of the client event that caused it, or null
   */
  static JsonObject error(ApiError error, String clientEventId) {
    return of("error").put("error", new JsonObject()
        .put("type", error.type())
        .put("code", error.code())
        .put("message", error.message())
        .put("param", error.param())
        .put("event_id", clientEventId));
  }

  static ApiError invalid(String code, String message, String param) {
    return new ApiError(400, "invalid_request_error", message, param, code, null);
  }

  /** What every audio feature answers: the gateway speaks the Realtime protocol for text only. */
  static ApiError audioUnsupported(String what, String param) {
    return invalid("audio_not_supported", what + ": the gateway's Realtime API is text only (no audio input or "
        + "output); send input_text content and use output_modalities [\"text\"]", param);
  }
}
