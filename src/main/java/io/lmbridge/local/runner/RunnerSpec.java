package io.lmbridge.local.runner;

import io.vertx.core.json.JsonObject;

/**
 * Everything a runner process needs to know, handed to it as one JSON argument by the gateway that
 * starts it.
 *
 * @param runnerId       unique per start: a restarted model gets a new id, so no message reaches a dead runner's heir
 * @param eventsAddress  where the runner says it is ready, or why it could not load
 * @param clusterName    the gateway's Hazelcast cluster, and its member to join through
 * @param chatTemplate   a llama.cpp template name for models without one in their GGUF, or null
 * @param jinja          render the GGUF's own Jinja template (it has one)
 * @param templateTools  that template renders tools, so with the {@code auto} plan they go through it
 * @param streamIntervalMillis at most one bus message per stream per this interval
 * @param slotCacheIdleSeconds a slot unused this long has its cache emptied (but the last used one); 0 never
 */
public record RunnerSpec(
    String runnerId,
    String model,
    String path,
    int contextSize,
    int slots,
    int maxQueue,
    int streamIntervalMillis,
    int slotCacheIdleSeconds,
    int gpuLayers,
    int threads,
    String chatTemplate,
    boolean jinja,
    boolean templateTools,
    boolean embedding,
    int topK,
    double topP,
    String structuredMode,
    String structuredPlan,
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
