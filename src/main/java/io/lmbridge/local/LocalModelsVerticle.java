package io.lmbridge.local;

import io.lmbridge.bus.Addresses;
import io.lmbridge.bus.BusFailures;
import io.lmbridge.bus.ServiceActions;
import io.lmbridge.chat.ApiError;
import io.lmbridge.chat.ApiException;
import io.lmbridge.chat.Ids;
import io.lmbridge.config.LiveConfig;
import io.lmbridge.config.LlamaConfig;
import io.lmbridge.config.LocalModelConfig;
import io.lmbridge.local.runner.RunnerSpec;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * This node's local models: starts a runner process when a model is first used or loaded, stops it
 * to unload (the only way its memory comes back), keeps at most {@code llama.max_loaded} loaded by
 * unloading the least recently used, and notices a runner that dies: its calls are failed at once
 * (through {@link Addresses#RUNNER_GONE}) and a model that keeps failing (to load, or within minutes
 * of loading) is retried with a growing backoff instead of in a loop.
 */
public final class LocalModelsVerticle extends VerticleBase {

  /** How the runners reach this node: its cluster's name and its own Hazelcast member address. */
  public record RunnerCluster(String name, String member) {
  }

  private static final System.Logger LOG = System.getLogger(LocalModelsVerticle.class.getName());
  private static final long LOAD_TIMEOUT_MILLIS = TimeUnit.MINUTES.toMillis(5);
  private static final long FIRST_BACKOFF_MILLIS = 1000;
  private static final long MAX_BACKOFF_MILLIS = TimeUnit.SECONDS.toMillis(60);
  /** A runner that served this long before it died was not in a crash loop: its count starts over. */
  private static final Duration STABLE = Duration.ofMinutes(5);

  private final LiveConfig config;
  private final RunnerCluster cluster;
  private final String nodeId;
  private final Map<String, Runner> byModel = new HashMap<>();
  private final Map<String, Runner> byId = new HashMap<>();
  private final Map<String, Failures> failures = new HashMap<>();
  private Context context;

  public LocalModelsVerticle(LiveConfig config, RunnerCluster cluster, String nodeId) {
    this.config = config;
    this.cluster = cluster;
    this.nodeId = nodeId;
  }

  @Override
  public Future<?> start() {
    context = vertx.getOrCreateContext();
    var requests = vertx.eventBus().<JsonObject>localConsumer(Addresses.LOCAL_MODELS, this::onRequest);
    var events = vertx.eventBus().<JsonObject>consumer(Addresses.runnerEvents(nodeId), this::onRunnerEvent);
    return Future.all(requests.completion(), events.completion());
  }

  /** Unloads everything: runners are processes of their own and would outlive the gateway. */
  @Override
  public Future<?> stop() {
    List<Future<?>> exits = new ArrayList<>();
    for (Runner runner : List.copyOf(byModel.values())) {
      exits.add(Future.fromCompletionStage(runner.process.onExit()));
      unload(runner);
    }
    return Future.join(exits);
  }

  private void onRequest(Message<JsonObject> message) {
    JsonObject body = message.body() == null ? new JsonObject() : message.body();
    Future<JsonObject> answer;
    try {
      answer = switch (message.headers().get(ServiceActions.ACTION)) {
        case ServiceActions.ACQUIRE -> acquire(body.getString("model"), null)
            .map(runnerId -> new JsonObject().put("runner_id", runnerId));
        case ServiceActions.LOAD -> acquire(body.getString("model"), body.getInteger("gpu_layers"))
            .compose(runnerId -> describe(body.getString("model")));
        case ServiceActions.UNLOAD -> unload(body.getString("model"));
        case ServiceActions.LIST -> list();
        default -> Future.failedFuture(ApiError.internal("unknown local-models action").exception());
      };
    } catch (ApiException e) {
      answer = Future.failedFuture(e);
    }
    answer.onComplete(done -> {
      if (done.succeeded()) {
        message.reply(done.result());
      } else {
        BusFailures.fail(message, BusFailures.toApiError(done.cause(), "the local model manager"));
      }
    });
  }

  /** The runner serving {@code name}, started if need be; {@code gpuLayers} reloads it with another offload. */
  private Future<String> acquire(String name, Integer gpuLayers) {
    LlamaConfig settings = config.get().llama();
    if (!settings.enabled()) {
      return Future.failedFuture(new ApiError(503, "server_error", "local models are turned off (llama.enabled)",
          "model", "local_models_disabled", null).exception());
    }
    // The path every request to a loaded model takes: a look at its file, not a listing of the directory.
    Runner running = name == null ? null : byModel.get(name);
    if (running != null && Files.isRegularFile(Path.of(running.spec.path()))
        && (gpuLayers == null || gpuLayers.equals(running.spec.gpuLayers()))) {
      running.lastUsed = System.nanoTime();
      return running.ready.future();
    }
    ModelCatalog.LocalModel model = ModelCatalog.find(settings, name, "model");
    if (running != null) {
      unload(running);
    }
    Failures failed = failures.get(model.name());
    if (failed != null && System.currentTimeMillis() < failed.retryAt) {
      long wait = failed.retryAt - System.currentTimeMillis();
      return Future.failedFuture(new ApiError(503, "server_error", "local model '" + model.name() + "' failed "
          + failed.count + " times in a row, last: " + failed.reason + "; retrying after a pause", "model",
          "model_unavailable", Long.toString(TimeUnit.MILLISECONDS.toSeconds(wait) + 1)).exception());
    }
    GgufHeader header;
    try {
      header = GgufHeader.read(model.path());
    } catch (IOException e) {
      return Future.failedFuture(ApiError.invalidRequest("local model '" + model.name() + "' cannot be loaded: "
          + e.getMessage(), "model").exception());
    }
    makeRoom(settings);
    return start(settings, model, header, gpuLayers).ready.future();
  }

  private void makeRoom(LlamaConfig settings) {
    while (byModel.size() >= settings.maxLoaded()) {
      Runner leastRecent = byModel.values().stream().min(Comparator.comparingLong(runner -> runner.lastUsed))
          .orElseThrow();
      LOG.log(System.Logger.Level.INFO, "unloading local model '" + leastRecent.spec.model()
          + "', the least recently used, to stay within llama.max_loaded=" + settings.maxLoaded());
      unload(leastRecent);
    }
  }

  private Runner start(LlamaConfig settings, ModelCatalog.LocalModel model, GgufHeader header, Integer gpuLayers) {
    LocalModelConfig declared = model.declared();
    String runnerId = Ids.next();
    String template = declared != null && declared.chatTemplate() != null ? declared.chatTemplate()
        : settings.chatTemplate();
    RunnerSpec spec = new RunnerSpec(
        runnerId,
        model.name(),
        model.path().toString(),
        model.mmproj() == null ? null : model.mmproj().toString(),
        settings.engine(),
        declared != null && declared.contextSize() != null ? declared.contextSize() : settings.contextSize(),
        declared != null && declared.slots() != null ? declared.slots() : settings.slots(),
        settings.maxQueue(),
        settings.streamIntervalMillis(),
        settings.slotCacheIdleSeconds(),
        gpuLayers != null ? gpuLayers
            : declared != null && declared.gpuLayers() != null ? declared.gpuLayers() : settings.gpuLayers(),
        declared != null && declared.threads() != null ? declared.threads() : settings.threads(),
        template == null && !header.hasChatTemplate() ? "chatml" : template,
        template == null && header.hasChatTemplate(),
        template == null && header.templateTakesTools(),
        declared != null && declared.embedding(),
        settings.topK(),
        settings.topP(),
        settings.structuredMode(),
        settings.structuredPlan(),
        config.get().logLevel(),
        Addresses.runnerEvents(nodeId),
        cluster.name(),
        cluster.member(),
        Path.of(System.getProperty("java.io.tmpdir"), "lmbridge-llama-" + runnerId).toString());
    RunnerProcess process;
    try {
      process = RunnerProcess.start(spec, settings.runnerJvmOptions(),
          (level, line) -> LOG.log(level, "[runner " + model.name() + "] " + line));
    } catch (IOException e) {
      throw ApiError.internal("cannot start a runner for '" + model.name() + "': " + e.getMessage()).exception();
    }
    Runner runner = new Runner(spec, header, process);
    byModel.put(model.name(), runner);
    byId.put(runnerId, runner);
    LOG.log(System.Logger.Level.INFO, "loading local model '" + model.name() + "' (" + header.architecture()
        + ") in runner pid " + process.pid());
    process.onExit().thenAccept(exited -> context.runOnContext(v -> onExit(runner, exited.exitValue())));
    vertx.setTimer(LOAD_TIMEOUT_MILLIS, id -> {
      if (runner.state == Runner.State.LOADING) {
        runner.loadError = "it did not finish loading within " + TimeUnit.MILLISECONDS.toMinutes(LOAD_TIMEOUT_MILLIS)
            + " minutes";
        process.stop();
      }
    });
    return runner;
  }

  private void onRunnerEvent(Message<JsonObject> message) {
    JsonObject event = message.body();
    Runner runner = byId.get(event.getString("runner_id"));
    message.reply(null);
    if (runner == null) {
      return;
    }
    if ("ready".equals(event.getString("event")) && runner.state == Runner.State.LOADING) {
      runner.state = Runner.State.READY;
      runner.loadedAt = Instant.now();
      runner.tools = event.getJsonObject("tools");
      runner.engine = event.getJsonObject("engine");
      LOG.log(System.Logger.Level.INFO, "local model '" + runner.spec.model() + "' is ready");
      runner.ready.tryComplete(runner.spec.runnerId());
    } else if ("failed".equals(event.getString("event"))) {
      runner.loadError = event.getString("error");
      runner.engine = event.getJsonObject("engine");
    }
  }

  private void onExit(Runner runner, int code) {
    byId.remove(runner.spec.runnerId());
    byModel.remove(runner.spec.model(), runner);
    vertx.fileSystem().deleteRecursive(runner.spec.tmpDir()).onFailure(failure -> LOG.log(System.Logger.Level.DEBUG,
        "could not delete " + runner.spec.tmpDir() + ": " + failure.getMessage()));
    String reason;
    if (runner.state == Runner.State.STOPPING) {
      reason = "local model '" + runner.spec.model() + "' was unloaded";
    } else if (runner.state == Runner.State.READY) {
      reason = "the runner of local model '" + runner.spec.model() + "' stopped unexpectedly (exit code " + code + ")";
      if (Duration.between(runner.loadedAt, Instant.now()).compareTo(STABLE) > 0) {
        failures.remove(runner.spec.model());
      }
      noteFailure(runner.spec.model(), reason);
      LOG.log(System.Logger.Level.WARNING, reason + lastLines(runner));
    } else {
      reason = LoadFailure.describe(runner.spec.model(), runner.header.architecture(), runner.engine,
          runner.loadError != null ? runner.loadError : "the runner exited with code " + code);
      noteFailure(runner.spec.model(), reason);
      LOG.log(System.Logger.Level.WARNING, reason + lastLines(runner));
    }
    runner.ready.tryFail(new ApiError(runner.state == Runner.State.LOADING ? 400 : 503,
        runner.state == Runner.State.LOADING ? "invalid_request_error" : "server_error", reason, "model",
        "model_unavailable", null).exception());
    vertx.eventBus().publish(Addresses.RUNNER_GONE,
        new JsonObject().put("runner_id", runner.spec.runnerId()).put("reason", reason));
  }

  /** What the runner wrote last, which holds the cause of a native abort. */
  private static String lastLines(Runner runner) {
    List<String> lines = runner.process.lastLines();
    return lines.isEmpty() ? "" : "; its last output:\n  " + String.join("\n  ", lines);
  }

  private void noteFailure(String model, String reason) {
    Failures previous = failures.get(model);
    int count = previous == null ? 1 : previous.count + 1;
    // One failure is retried by the next request; only a repeat is a loop worth slowing down.
    long backoff = count == 1 ? 0 : Math.min(MAX_BACKOFF_MILLIS, FIRST_BACKOFF_MILLIS << Math.min(count - 2, 16));
    failures.put(model, new Failures(count, System.currentTimeMillis() + backoff, reason));
  }

  private Future<JsonObject> unload(String name) {
    Runner runner = byModel.get(name);
    if (runner == null) {
      ModelCatalog.find(config.get().llama(), name, "model");
      return describe(name);
    }
    unload(runner);
    return Future.fromCompletionStage(runner.process.onExit(), context).compose(exited -> describe(name));
  }

  private void unload(Runner runner) {
    runner.state = Runner.State.STOPPING;
    byModel.remove(runner.spec.model(), runner);
    runner.process.stop();
  }

  /** Every model, and the GPUs' memory: what a load takes and an unload gives back. */
  private Future<JsonObject> list() {
    return gpuMemory().map(gpu -> {
      JsonArray models = new JsonArray();
      ModelCatalog.scan(config.get().llama()).values()
          .forEach(model -> models.add(describe(model.name(), model, gpu)));
      return new JsonObject().put("models", models).put("gpus", gpu.devicesJson());
    });
  }

  /** One model, for the answer to a load or an unload, with the GPUs' memory as it is afterwards. */
  private Future<JsonObject> describe(String name) {
    return gpuMemory().map(gpu -> describe(name, ModelCatalog.scan(config.get().llama()).get(name), gpu)
        .put("gpus", gpu.devicesJson()));
  }

  private Future<GpuMemory> gpuMemory() {
    return GpuMemory.available() ? vertx.executeBlocking(GpuMemory::read, false)
        : Future.succeededFuture(GpuMemory.NONE);
  }

  /** @param model its catalog entry, or null when its file has gone */
  private JsonObject describe(String name, ModelCatalog.LocalModel model, GpuMemory gpu) {
    Runner runner = byModel.get(name);
    JsonObject json = runner != null ? runner.describe(gpu) : new JsonObject().put("state", "not_loaded")
        .put("loaded", false).put("gpu_layers", config.get().llama().gpuLayers());
    json.put("name", name).put("key", "lmbridge:" + name).put("path", model == null ? null : model.path().toString())
        .put("mmproj", model == null || model.mmproj() == null ? null : model.mmproj().toString());
    Failures failed = failures.get(name);
    if (failed != null) {
      json.put("last_error", failed.reason);
    }
    return json;
  }

  private record Failures(int count, long retryAt, String reason) {
  }
}
