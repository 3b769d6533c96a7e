package io.lmbridge.chat;

import io.vertx.core.json.JsonObject;

/**
 * A failure as the client will see it: an HTTP status and OpenAI's error object
 * {@code {"error":{"message","type","param","code"}}}. Every failure in the gateway ends up as one.
 *
 * @param retryAfter seconds from an upstream {@code Retry-After}, passed through on 429 and 503
 */
public record ApiError(int status, String type, String message, String param, String code, String retryAfter) {

  public static ApiError invalidRequest(String message, String param) {
    return new ApiError(400, "invalid_request_error", message, param, null, null);
  }

  public static ApiError notFound(String message, String param, String code) {
    return new ApiError(404, "invalid_request_error", message, param, code, null);
  }

  public static ApiError upstream(int status, String message) {
    return new ApiError(status, typeFor(status), message, null, null, null);
  }

  public static ApiError internal(String message) {
    return new ApiError(500, "server_error", message, null, null, null);
  }

  /** OpenAI's error type for a status, used where the source gave none. */
  public static String typeFor(int status) {
    return switch (status) {
      case 400, 404, 405, 409, 413, 415, 422 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 429 -> "rate_limit_error";
      default -> status >= 500 ? "server_error" : "invalid_request_error";
    };
  }

  public ApiException exception() {
    return new ApiException(this);
  }

  /** The body OpenAI clients parse: {@code {"error":{...}}}, with explicit nulls as OpenAI sends them. */
  public JsonObject toOpenAiJson() {
    return new JsonObject().put("error", new JsonObject()
        .put("message", message)
        .put("type", type)
        .put("param", param)
        .put("code", code));
  }
}
