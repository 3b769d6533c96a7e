package io.lmbridge.provider;

import io.lmbridge.chat.ApiError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** Turns an upstream's error response into the client's error, keeping its status and message. */
public final class UpstreamError {

  /** The error code of a call that never got an HTTP response. */
  public static final String UNREACHABLE = "upstream_unreachable";

  private static final int MAX_RAW_MESSAGE = 500;
  private static final int ANTHROPIC_OVERLOADED = 529;

  private UpstreamError() {
  }

  /**
   * Reads the {@code {"error":{...}}} bodies of OpenAI, Anthropic and Gemini, Ollama's
   * {@code {"error":"..."}}, and falls back to the raw text for anything else (a proxy's HTML page, say).
   */
  public static ApiError of(String provider, int status, Buffer body, String retryAfter) {
    String type = null;
    String message = null;
    String param = null;
    String code = null;
    try {
      JsonObject json = body.toJsonObject();
      Object error = json.getValue("error");
      if (error instanceof JsonObject object) {
        message = object.getString("message");
        type = stringOf(object.getValue("type"));
        param = stringOf(object.getValue("param"));
        // Google puts the HTTP status in code (a number) and its name for the error in status.
        Object rawCode = object.getValue("code");
        code = rawCode instanceof Number && object.getValue("status") instanceof String name
            ? name : stringOf(rawCode);
      } else if (error instanceof String text) {
        message = text;
      } else {
        message = json.getString("message");
      }
    } catch (RuntimeException notJson) {
      String raw = body.toString().strip();
      message = raw.length() > MAX_RAW_MESSAGE ? raw.substring(0, MAX_RAW_MESSAGE) + "..." : raw;
    }
    if (message == null || message.isBlank()) {
      message = "HTTP " + status + " from upstream";
    }
    // Anthropic's 529 "overloaded" is no standard status; clients know 503 as "try again later".
    int clientStatus = status == ANTHROPIC_OVERLOADED ? 503 : status;
    return new ApiError(clientStatus, type != null ? type : ApiError.typeFor(clientStatus),
        provider + ": " + message, param, code, retryAfter);
  }

  /** The upstream could not be reached or broke the connection. */
  public static ApiError unreachable(String provider, Throwable cause) {
    return new ApiError(502, "server_error", provider + ": upstream request failed: " + cause.getMessage(),
        null, UNREACHABLE, null);
  }

  private static String stringOf(Object value) {
    return value == null ? null : value.toString();
  }
}
