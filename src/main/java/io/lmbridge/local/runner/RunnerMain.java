package io.lmbridge.local.runner;

import io.lmbridge.bus.BusCodec;
import io.lmbridge.config.ClusterConfig;
import io.lmbridge.config.LlamaEngine;
import io.lmbridge.local.runner.javallama.JavaLlamaEngine;
import io.lmbridge.local.runner.llamacpp.LlamaCppEngine;
import io.lmbridge.node.ClusterSetup;
import io.lmbridge.node.LogLevels;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A runner: the process that holds one local model, started by the gateway from the same jar. It
 * joins the gateway's event bus (a Hazelcast cluster on 127.0.0.1, or the gateway's real cluster),
 * loads the model with the configured {@link Engine}, serves it with a {@link LlamaVerticle}, and
 * tells the gateway it is ready or why it could not load. Stopping the process is how a model is
 * unloaded: it returns every byte of host and GPU memory, and a native abort takes only this
 * process down.
 */
public final class RunnerMain {

  private static final System.Logger LOG = System.getLogger(RunnerMain.class.getName());

  private RunnerMain() {
  }

  public static void main(String[] args) throws Exception {
    RunnerSpec spec = RunnerSpec.fromJson(args[0]);
    // A runner serves its gateway only: if that process goes (even by kill -9), so does the runner.
    ProcessHandle.current().parent().ifPresent(gateway -> gateway.onExit().thenRun(() -> Runtime.getRuntime().halt(0)));
    RunnerLog.install();
    LogLevels.apply(spec.logLevel());
    int port = Integer.parseInt(spec.clusterMember().substring(spec.clusterMember().lastIndexOf(':') + 1));
    HazelcastClusterManager cluster = ClusterSetup.runnerClusterManager(
        new ClusterConfig(true, spec.clusterName(), "127.0.0.1", port + 1, List.of(spec.clusterMember()), false));
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setEventBusOptions(new EventBusOptions().setHost("127.0.0.1").setPort(0)))
        .withClusterManager(cluster)
        .buildClustered()
        .await();
    BusCodec.register(vertx.eventBus());
    // Unloading ends this process: the verticle stops (its requests cancelled and ended), then the engine,
    // which must not be torn down under a running thread.
    AtomicReference<Engine> loaded = new AtomicReference<>();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      vertx.close().await();
      if (loaded.get() != null) {
        closeQuietly(loaded.get());
      }
    }, "runner-shutdown"));
    LlamaEngine chosen = chosenEngine(spec);
    Engine engine;
    try {
      SchemaCheck schemas = new SchemaCheck(vertx);
      engine = chosen == LlamaEngine.LLAMA_CPP ? LlamaCppEngine.load(spec, schemas)
          : JavaLlamaEngine.load(spec, schemas);
    } catch (RuntimeException | Error e) {
      JsonObject failed = new JsonObject().put("event", "failed").put("error", String.valueOf(e.getMessage()));
      (chosen == LlamaEngine.LLAMA_CPP ? LlamaCppEngine.engineInfo() : Optional.of(JavaLlamaEngine.engineInfo()))
          .ifPresent(info -> failed.put("engine", info.toJson()));
      tell(vertx, spec, failed);
      LOG.log(System.Logger.Level.ERROR, "could not load " + spec.path() + ": " + e.getMessage());
      System.exit(3);
      return;
    }
    loaded.set(engine);
    vertx.deployVerticle(new LlamaVerticle(engine, spec)).await();
    tell(vertx, spec, new JsonObject().put("event", "ready").put("pid", ProcessHandle.current().pid())
        .put("context_size", spec.contextSize()).put("slots", spec.slots()).put("tools", engine.tools())
        .put("engine", engine.info().toJson()));
  }

  /**
   * The engine this runner loads with: {@code auto} takes the current llama.cpp when the jar has it.
   * Asking for llama.cpp in a jar without it fails the load with how to build it.
   */
  private static LlamaEngine chosenEngine(RunnerSpec spec) {
    if (spec.engine() != LlamaEngine.AUTO) {
      return spec.engine();
    }
    return LlamaCppEngine.engineInfo().isPresent() ? LlamaEngine.LLAMA_CPP : LlamaEngine.JAVA_LLAMA_CPP;
  }

  private static void closeQuietly(Engine engine) {
    try {
      engine.close();
    } catch (Exception e) {
      LOG.log(System.Logger.Level.WARNING, "could not close the engine: " + e);
    }
  }

  private static void tell(Vertx vertx, RunnerSpec spec, JsonObject event) throws Exception {
    vertx.eventBus().request(spec.eventsAddress(), event.put("runner_id", spec.runnerId()))
        .await(30, TimeUnit.SECONDS);
  }
}
