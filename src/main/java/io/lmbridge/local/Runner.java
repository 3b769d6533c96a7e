package io.lmbridge.local;

import io.lmbridge.local.runner.RunnerSpec;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.Locale;

/** The gateway's view of one runner: its process, how far it got, and when it was last used. */
final class Runner {

  enum State { LOADING, READY, STOPPING }

  final RunnerSpec spec;
  final GgufHeader header;
  final RunnerProcess process;
  /** Completes with the runner id once the model is loaded and served, or fails with why it is not. */
  final Promise<String> ready = Promise.promise();
  State state = State.LOADING;
  String loadError;
  Instant loadedAt;
  /** How tools reach the model ({@code via}: template, system_message or off), as the runner found once loaded. */
  JsonObject tools;
  /** The engine serving it, and its llama.cpp release ({@code EngineInfo}), as the runner told. */
  JsonObject engine;
  long lastUsed = System.nanoTime();

  Runner(RunnerSpec spec, GgufHeader header, RunnerProcess process) {
    this.spec = spec;
    this.header = header;
    this.process = process;
  }

  JsonObject describe(GpuMemory gpu) {
    return new JsonObject()
        .put("state", state.name().toLowerCase(Locale.ROOT))
        .put("loaded", state == State.READY)
        .put("runner_id", spec.runnerId())
        .put("pid", process.pid())
        .put("gpu_layers", spec.gpuLayers())
        .put("context_size", spec.contextSize())
        .put("slots", spec.slots())
        .put("tools", tools)
        .put("engine", engine)
        .put("memory_bytes", process.residentBytes())
        .put("gpu_memory_bytes", gpu.processBytes(process.pid()))
        .put("loaded_at", loadedAt == null ? null : loadedAt.toString());
  }
}
