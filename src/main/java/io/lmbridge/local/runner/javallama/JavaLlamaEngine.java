package io.lmbridge.local.runner.javallama;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.args.PoolingType;
import io.lmbridge.chat.ApiError;
import io.lmbridge.chat.ChatRequest;
import io.lmbridge.config.LlamaEngine;
import io.lmbridge.config.StructuredPlan;
import io.lmbridge.local.runner.Engine;
import io.lmbridge.local.runner.EngineInfo;
import io.lmbridge.local.runner.Generation;
import io.lmbridge.local.runner.RequestPlan;
import io.lmbridge.local.runner.RunnerSpec;
import io.lmbridge.local.runner.SchemaCheck;
import io.lmbridge.local.runner.ToolSyntax;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The fallback engine: java-llama.cpp 4.2.0 (llama.cpp b4916, March 2025), for a gateway built
 * without the current llama.cpp. It knows the architectures of its time (llama, gemma3, phi3,
 * qwen2; not qwen3 or plamo2), takes no images and parses no tool calls, so prompts are rendered and
 * calls read here. Slots are chosen here too ({@link TokenStreams}), and slots left idle have their
 * caches emptied, since this build attends over every slot's cells.
 */
public final class JavaLlamaEngine implements Engine {

  /** What a client is told where this engine cannot do what the current one does. */
  static final String CURRENT_ENGINE_HINT = "the current llama.cpp engine can: build the gateway with"
      + " `./mvnw package` where CMake and a C++ compiler are installed (see native/README.md)";

  private static final System.Logger LOG = System.getLogger(JavaLlamaEngine.class.getName());
  private static final EngineInfo INFO = new EngineInfo(LlamaEngine.JAVA_LLAMA_CPP, "b4916", "cpu");
  private static final Set<String> NATIVE_LOG_LEVELS = Set.of("debug", "trace");

  private final LlamaModel model;
  private final RunnerSpec spec;
  private final SchemaCheck schemas;
  private final Optional<ToolSyntax> templateTools;
  private final TokenStreams streams;
  private final ScheduledExecutorService housekeeping;

  private JavaLlamaEngine(LlamaModel model, RunnerSpec spec, SchemaCheck schemas, Optional<ToolSyntax> templateTools) {
    this.model = model;
    this.spec = spec;
    this.schemas = schemas;
    this.templateTools = templateTools;
    this.streams = new TokenStreams(model, spec.slots());
    this.housekeeping = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "java-llama-idle-slots");
      thread.setDaemon(true);
      return thread;
    });
    if (spec.slotCacheIdleSeconds() > 0 && spec.slots() > 1) {
      long idle = TimeUnit.SECONDS.toMillis(spec.slotCacheIdleSeconds());
      long period = Math.max(1000, idle / 4);
      housekeeping.scheduleWithFixedDelay(() -> clearIdleSlots(idle), period, period, TimeUnit.MILLISECONDS);
    }
  }

  public static EngineInfo engineInfo() {
    return INFO;
  }

  /** Loads the model; throws with the binding's reason when it cannot. */
  public static JavaLlamaEngine load(RunnerSpec spec, SchemaCheck schemas) {
    // On first load the binding deletes every jllama*/llama* file in its temp dir: a private one.
    System.setProperty("de.kherud.llama.tmpdir", spec.tmpDir());
    LlamaModel model = new LlamaModel(parameters(spec));
    return new JavaLlamaEngine(model, spec, schemas, templateTools(model, spec));
  }

  @Override
  public EngineInfo info() {
    return INFO;
  }

  @Override
  public JsonObject tools() {
    return RequestPlan.toolsListing(spec.structuredPlan(),
        templateTools.map(syntax -> new JsonObject().put("call_opening", syntax.opening())).orElse(null));
  }

  @Override
  public Generation prepare(ChatRequest request) {
    return JavaLlamaGeneration.prepare(this, request);
  }

  /** Embeds each input; an input longer than the context is refused, not cut. */
  @Override
  public JsonObject embed(List<String> inputs) {
    JsonArray vectors = new JsonArray();
    int tokens = 0;
    for (int i = 0; i < inputs.size(); i++) {
      int length = model.encode(inputs.get(i)).length;
      if (length > spec.contextSize()) {
        throw new ApiError(400, "invalid_request_error", "input[" + i + "] has " + length + " tokens; this model's"
            + " context is " + spec.contextSize(), "input", "context_length_exceeded", null).exception();
      }
      tokens += length;
      JsonArray vector = new JsonArray();
      for (float value : model.embed(inputs.get(i))) {
        vector.add(value);
      }
      vectors.add(vector);
    }
    return new JsonObject().put("embeddings", vectors).put("prompt_tokens", tokens);
  }

  /** The process ends to unload: the binding frees nothing itself. */
  @Override
  public void close() {
    housekeeping.shutdownNow();
  }

  RunnerSpec spec() {
    return spec;
  }

  LlamaModel model() {
    return model;
  }

  TokenStreams streams() {
    return streams;
  }

  RequestPlan plan(ChatRequest request) {
    return RequestPlan.of(request, spec.structuredMode(), spec.structuredPlan(),
        templateTools.isPresent() ? RequestPlan.Template.TOOLS_PARSED_BY_GATEWAY : RequestPlan.Template.NO_TOOLS,
        templateTools.orElse(ToolSyntax.TAGGED), schemas);
  }

  /** The grammar for the plan's constraint, or null when there is none (or it makes none, where that may be). */
  String grammar(RequestPlan plan) {
    RequestPlan.Constraint constraint = plan.constraint();
    return constraint == null ? null
        : SchemaGrammars.grammar(constraint.schema(), constraint.param(), constraint.required());
  }

  private void clearIdleSlots(long idleMillis) {
    try {
      List<Integer> cleared = streams.clearIdle(TimeUnit.MILLISECONDS.toNanos(idleMillis));
      if (!cleared.isEmpty()) {
        LOG.log(System.Logger.Level.DEBUG, "emptied the caches of idle slots " + cleared);
      }
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "could not empty idle slots: " + e);
    }
  }

  /**
   * With the {@code auto} plan and a template that renders tools, how the model writes a call:
   * found once, by rendering a probe call through the template. Empty otherwise, and then tools are
   * described in a system message (or, with the {@code off} plan, not at all).
   */
  private static Optional<ToolSyntax> templateTools(LlamaModel model, RunnerSpec spec) {
    if (spec.structuredPlan() != StructuredPlan.AUTO || !spec.jinja() || !spec.templateTools()) {
      return Optional.empty();
    }
    Optional<ToolSyntax> syntax = ToolSyntax.of((messages, tools, generationPrompt)
        -> PromptBuilder.render(model, messages, tools, generationPrompt));
    LOG.log(System.Logger.Level.INFO, syntax.map(found -> spec.model() + ": the template renders tools; calls open with '"
        + found.opening() + "'").orElse(spec.model() + ": the template mentions tools but drops a call; tools go in"
        + " a system message"));
    return syntax;
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
   * b4916's layer count for a configured {@code gpu_layers}: -1 means every layer, which b4916 reads
   * as its own default (none except on Metal), so every layer is asked for the way its Metal default
   * does, by a count no model reaches; unset means none, the CPU build's only choice.
   */
  public static int llamaGpuLayers(Integer gpuLayers) {
    return gpuLayers == null ? 0 : gpuLayers < 0 ? 999 : gpuLayers;
  }
}
