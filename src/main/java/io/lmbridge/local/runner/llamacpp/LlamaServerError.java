package io.lmbridge.local.runner.llamacpp;

import io.vertx.core.json.JsonObject;

/** An error answer of llama-server's: its status and its {@code {"error": {...}}} body. */
final class LlamaServerError extends RuntimeException {

  private final int status;
  private final JsonObject body;

  LlamaServerError(int status, JsonObject body) {
    super(body.getJsonObject("error", new JsonObject()).getString("message", "llama.cpp answered " + status));
    this.status = status;
    this.body = body;
  }

  int status() {
    return status;
  }

  JsonObject body() {
    return body;
  }
}
