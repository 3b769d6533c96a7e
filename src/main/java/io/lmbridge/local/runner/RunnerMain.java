package io.lmbridge.local.runner;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.args.PoolingType;
import io.lmbridge.bus.BusCodec;
import io.lmbridge.config.ClusterConfig;
import io.lmbridge.node.ClusterSetup;
import io.lmbridge.node.LogLevels;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A runner: the process that holds one local model, started by the gateway from the same jar. It
 * joins the gateway's event bus (a Hazelcast cluster on 127.0.0.1, or the gateway's real cluster),
 * loads the model, serves it with a {@link LlamaVerticle}, and tells the gateway it is ready or why
 * it could not load. Stopping the process is how a model is unloaded: the binding frees nothing
 * itself, and a native abort takes only this process down.
 */
public final class RunnerMain {

  private static final System.Logger LOG = System.getLogger(RunnerMain.class.getName());
  private static final Set<String> NATIVE_LOG_LEVELS = Set.of("debug", "trace");

  private RunnerMain() {
  }

  public static void main(String[] args) throws Exception {
    RunnerSpec spec = RunnerSpec.fromJson(args[0]);
    // A runner serves its gateway only: if that process goes (even by kill -9), so does the runner.
    ProcessHandle.current().parent().ifPresent(gateway -> gateway.onExit().thenRun(() -> Runtime.getRuntime().halt(0)));
    LogLevels.install();
    LogLevels.apply(spec.logLevel());
    System.setProperty("de.kherud.llama.tmpdir", spec.tmpDir());
    int port = Integer.parseInt(spec.clusterMember().substring(spec.clusterMember().lastIndexOf(':') + 1));
    HazelcastClusterManager cluster = ClusterSetup.runnerClusterManager(
        new ClusterConfig(true, spec.clusterName(), "127.0.0.1", port + 1, List.of(spec.clusterMember()), false));
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setEventBusOptions(new EventBusOptions().setHost("127.0.0.1").setPort(0)))
        .withClusterManager(cluster)
        .buildClustered()
        .await();
    BusCodec.register(vertx.eventBus());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> vertx.close().await(), "runner-shutdown"));
    LlamaModel model;
    try {
      model = new LlamaModel(parameters(spec));
    } catch (RuntimeException | Error e) {
      tell(vertx, spec, new JsonObject().put("event", "failed").put("error", String.valueOf(e.getMessage())));
      LOG.log(System.Logger.Level.ERROR, "could not load " + spec.path() + ": " + e.getMessage());
      System.exit(3);
      return;
    }
    Optional<ToolSyntax> templateTools = templateTools(model, spec);
    ServedModel served = new ServedModel(model, spec, new SchemaGrammars(vertx), templateTools,
        new TokenStreams(model, spec.slots()));
    vertx.deployVerticle(new LlamaVerticle(served)).await();
    tell(vertx, spec, new JsonObject().put("event", "ready").put("pid", ProcessHandle.current().pid())
        .put("context_size", spec.contextSize()).put("slots", spec.slots()).put("tools", tools(spec, templateTools)));
  }

  /**
   * With the {@code auto} plan and a template that renders tools, how the model writes a call:
   * found once, by rendering a probe call through the template. Empty otherwise, and then tools are
   * described in a system message (or, with the {@code off} plan, not at all).
   */
  private static Optional<ToolSyntax> templateTools(LlamaModel model, RunnerSpec spec) {
    if (!"auto".equals(spec.structuredPlan()) || !spec.jinja() || !spec.templateTools()) {
      return Optional.empty();
    }
    Optional<ToolSyntax> syntax = ToolSyntax.of(model);
    LOG.log(System.Logger.Level.INFO, syntax.map(found -> spec.model() + ": the template renders tools; calls open with '"
        + found.opening() + "'").orElse(spec.model() + ": the template mentions tools but drops a call; tools go in"
        + " a system message"));
    return syntax;
  }

  /** How tools reach the model, for the model listing. */
  private static JsonObject tools(RunnerSpec spec, Optional<ToolSyntax> templateTools) {
    if ("off".equals(spec.structuredPlan())) {
      return new JsonObject().put("via", "off");
    }
    if (templateTools.isPresent()) {
      return new JsonObject().put("via", "template").put("call_opening", templateTools.get().opening());
    }
    return new JsonObject().put("via", "system_message").put("call_opening", ToolSyntax.TAGGED.opening());
  }

  /** Each slot gets the whole configured context: llama.cpp divides the loaded context among slots. */
  private static ModelParameters parameters(RunnerSpec spec) {
    ModelParameters parameters = new ModelParameters()
        .setModel(spec.path())
        .setCtxSize(spec.contextSize() * spec.slots())
        .setParallel(spec.slots())
        .setGpuLayers(llamaGpuLayers(spec.gpuLayers()));
    if (spec.threads() > 0) {
      parameters.setThreads(spec.threads());
    }
    if (spec.jinja()) {
      parameters.enableJinja();
    } else if (spec.chatTemplate() != null) {
      parameters.setChatTemplate(spec.chatTemplate());
    }
    if (spec.embedding()) {
      // The default pooling gives every input the first token's vector on llama models.
      parameters.enableEmbedding().setPoolingType(PoolingType.LAST);
    }
    if (!NATIVE_LOG_LEVELS.contains(spec.logLevel())) {
      parameters.disableLog();
    }
    return parameters;
  }

  /**
   * llama.cpp's layer count for a configured {@code gpu_layers}. Here -1 means every layer; to llama.cpp
   * b4916 it means its own default, which is none on CUDA (only Metal builds default to all), so every
   * layer is asked for the way llama.cpp's Metal default does, by a count no model reaches.
   */
  public static int llamaGpuLayers(int gpuLayers) {
    return gpuLayers < 0 ? 999 : gpuLayers;
  }

  private static void tell(Vertx vertx, RunnerSpec spec, JsonObject event) throws Exception {
    vertx.eventBus().request(spec.eventsAddress(), event.put("runner_id", spec.runnerId()))
        .await(30, TimeUnit.SECONDS);
  }
}
