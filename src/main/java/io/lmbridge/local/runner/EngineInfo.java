package io.lmbridge.local.runner;

import io.vertx.core.json.JsonObject;

/**
 * What serves a model, for the model listing and the status.
 *
 * @param name     {@code llama.cpp} or {@code java-llama.cpp}
 * @param llamaCpp the llama.cpp release inside: {@code v0.5.0}, or {@code b4916} in java-llama.cpp 4.2.0
 * @param backend  {@code cpu} or {@code cuda}
 */
public record EngineInfo(String name, String llamaCpp, String backend) {

  public JsonObject toJson() {
    return new JsonObject().put("name", name).put("llama_cpp", llamaCpp).put("backend", backend);
  }
}
