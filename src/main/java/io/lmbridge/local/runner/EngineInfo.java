package io.lmbridge.local.runner;

import io.lmbridge.config.LlamaEngine;
import io.vertx.core.json.JsonObject;

/**
 * What serves a model, for the model listing and the status.
 *
 * @param engine   which engine: never {@code AUTO}, which only chooses one
 * @param llamaCpp the llama.cpp release inside: {@code v0.5.0}, or {@code b4916} in java-llama.cpp 4.2.0
 * @param backend  {@code cpu} or {@code cuda}
 */
public record EngineInfo(LlamaEngine engine, String llamaCpp, String backend) {

  public JsonObject toJson() {
    return new JsonObject().put("name", engine.configName()).put("llama_cpp", llamaCpp).put("backend", backend);
  }
}
