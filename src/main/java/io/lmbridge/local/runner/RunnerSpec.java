package io.lmbridge.local.runner;

import io.lmbridge.config.LlamaEngine;
import io.lmbridge.config.StructuredMode;
import io.lmbridge.config.StructuredPlan;
import io.vertx.core.json.JsonObject;

/**
 * Everything a runner process needs to know, handed to it as one JSON argument by the gateway that
 * starts it.
 *
 * @param runnerId       unique per start: a restarted model gets a new id, so no message reaches a dead runner's heir
 * @param mmproj         the model's vision projector, or null
 * @param gpuLayers      layers to offload, -1 for all; null lets a CUDA build offload what fits
 * @param eventsAddress  where the runner says it is ready, or why it could not load
 * @param clusterName    the gateway's Hazelcast cluster, and its member to join through
 * @param chatTemplate   a llama.cpp template name for models without one in their GGUF, or null
 * @param jinja          render the GGUF's own Jinja template (it has one)
 * @param templateTools  that template mentions tools, so with the {@code auto} plan they may go through it
 * @param streamIntervalMillis at most one bus message per stream per this interval
 * @param slotCacheIdleSeconds a slot unused this long has its cache emptied (but the last used one); 0 never
 */
public record RunnerSpec(
    String runnerId,
    String model,
    String path,
    String mmproj,
    LlamaEngine engine,
    int contextSize,
    int slots,
    int maxQueue,
    int streamIntervalMillis,
    int slotCacheIdleSeconds,
    Integer gpuLayers,
    int threads,
    String chatTemplate,
    boolean jinja,
    boolean templateTools,
    boolean embedding,
    int topK,
    double topP,
    StructuredMode structuredMode,
    StructuredPlan structuredPlan,
    String logLevel,
    String eventsAddress,
    String clusterName,
    String clusterMember,
    String tmpDir) {

  public JsonObject toJson() {
    return JsonObject.mapFrom(this);
  }

  public static RunnerSpec fromJson(String json) {
    return new JsonObject(json).mapTo(RunnerSpec.class);
  }
}
