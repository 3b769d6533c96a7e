package io.lmbridge.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Local GGUF models, from the {@code LLAMA_*} variables or the {@code llama} section: where models
 * are found, the defaults each model loads with, and how runner processes are started.
 *
 * @param enabled         local inference on; it also needs {@code modelDir} to exist or models declared
 * @param engine          which engine the runners load models with
 * @param gpuLayers       layers offloaded to the GPU, -1 for all; null lets a CUDA build offload what fits
 * @param contextSize     tokens of context per model unless the model's entry says otherwise
 * @param slots           requests one model generates for at once (continuous batching)
 * @param maxQueue        requests waiting for a slot beyond which a model answers 429
 * @param maxLoaded       loaded models beyond which the least recently used is unloaded
 * @param streamIntervalMillis at most one message per stream per this interval: faster tokens go out together
 * @param slotCacheIdleSeconds a slot's prompt cache is emptied after this long unused, but for the slot
 *     used last; 0 keeps every cache
 * @param runnerJvmOptions options of each runner's JVM
 * @param chatTemplate    the template for models whose GGUF carries none (a llama.cpp name such as chatml)
 * @param structuredMode  strict, auto, prompt or off: how JSON output and tool calls are enforced
 * @param structuredPlan  system, auto or off: whether schemas and tools are described in a system message
 * @param models          models declared explicitly, beside the files found in {@code modelDir}
 */
public record LlamaConfig(boolean enabled, String modelDir, LlamaEngine engine, Integer gpuLayers, int threads,
                          int topK, double topP,
                          int contextSize, int slots, int maxQueue, int maxLoaded, int streamIntervalMillis,
                          int slotCacheIdleSeconds,
                          List<String> runnerJvmOptions,
                          String chatTemplate, StructuredMode structuredMode, StructuredPlan structuredPlan,
                          List<LocalModelConfig> models) {

  public LlamaConfig {
    runnerJvmOptions = List.copyOf(runnerJvmOptions);
    models = List.copyOf(models);
  }

  /** Why a node with these settings serves no local models, or null when it serves them. */
  public String whyNotServed() {
    if (!enabled) {
      return "llama.enabled is false";
    }
    if (models.isEmpty() && !Files.isDirectory(Path.of(modelDir))) {
      return "the model folder '" + modelDir + "' (LLAMA_MODEL_DIR or llama.model_dir) does not exist"
          + " and llama.models declares none";
    }
    return null;
  }
}
