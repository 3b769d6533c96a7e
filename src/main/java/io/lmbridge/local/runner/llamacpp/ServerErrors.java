package io.lmbridge.local.runner.llamacpp;

import io.lmbridge.chat.ApiError;
import io.vertx.core.json.JsonObject;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** llama-server's error answers as the gateway's: its status and message, with OpenAI's codes where they apply. */
final class ServerErrors {

  /** How llama-server names the field a value is out of bounds for: {@code Field 'n': Value must be...}. */
  private static final Pattern FIELD = Pattern.compile("^Field '([a-z_]+)'");

  private ServerErrors() {
  }

  /**
   * @param body  llama-server's {@code {"error": {"code", "message", "type"}}}
   * @param param the request field a 400 is about, when llama.cpp does not say
   */
  static ApiError toApiError(int status, JsonObject body, String param) {
    JsonObject error = body.getJsonObject("error", new JsonObject());
    String message = error.getString("message", "llama.cpp answered " + status);
    Matcher field = FIELD.matcher(message);
    if (field.find()) {
      param = field.group(1);
    }
    if ("exceed_context_size_error".equals(error.getString("type"))) {
      return new ApiError(400, "invalid_request_error", "local model: " + message, param,
          "context_length_exceeded", null);
    }
    if (status >= 400 && status < 500) {
      return new ApiError(status, ApiError.typeFor(status), "local model: " + message, param, null, null);
    }
    return ApiError.internal("local model: " + message);
  }
}
