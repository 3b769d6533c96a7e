package io.lmbridge.local.runner.llamacpp;

import io.lmbridge.chat.ApiError;
import io.lmbridge.chat.ChatRequest;
import io.lmbridge.config.LlamaEngine;
import io.lmbridge.config.StructuredPlan;
import io.lmbridge.local.runner.Engine;
import io.lmbridge.local.runner.EngineInfo;
import io.lmbridge.local.runner.Generation;
import io.lmbridge.local.runner.ImageInput;
import io.lmbridge.local.runner.RequestPlan;
import io.lmbridge.local.runner.RunnerSpec;
import io.lmbridge.local.runner.SchemaCheck;
import io.lmbridge.local.runner.ToolSyntax;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The current llama.cpp, in this process: a model loaded into llama.cpp's own server, requests sent
 * as llama-server's OpenAI JSON, so that templates, tool-call parsing, reasoning extraction, grammars,
 * images, slots and usage are llama.cpp's. The gateway adds only what its settings ask for on top
 * ({@link RequestPlan}).
 */
public final class LlamaCppEngine implements Engine {

  private final LlamaServer server;
  private final RunnerSpec spec;
  private final EngineInfo info;
  private final SchemaCheck schemas;
  private final boolean templateRendersTools;
  private final boolean vision;

  private LlamaCppEngine(LlamaServer server, RunnerSpec spec, EngineInfo info, SchemaCheck schemas,
                         JsonObject props) {
    this.server = server;
    this.spec = spec;
    this.info = info;
    this.schemas = schemas;
    this.templateRendersTools = Boolean.TRUE.equals(
        props.getJsonObject("chat_template_caps", new JsonObject()).getValue("supports_tools"));
    this.vision = Boolean.TRUE.equals(props.getJsonObject("modalities", new JsonObject()).getValue("vision"));
  }

  /** This engine's description when the jar carries its library, else empty. */
  public static Optional<EngineInfo> engineInfo() {
    return LlamaCppLibrary.build().map(build -> new EngineInfo(LlamaEngine.LLAMA_CPP, build.release(), build.backend()));
  }

  /** Loads the model; throws with llama.cpp's reason when it cannot. */
  public static LlamaCppEngine load(RunnerSpec spec, SchemaCheck schemas) {
    EngineInfo info = engineInfo().orElseThrow(() -> new IllegalStateException("this gateway was built without"
        + " the llama.cpp engine: build it where CMake and a C++ compiler are installed, see native/README.md"));
    LlamaCppLibrary.load(Path.of(spec.tmpDir()));
    LlamaServer server = LlamaServer.load(arguments(spec, info));
    return new LlamaCppEngine(server, spec, info, schemas, server.call("props", new JsonObject()));
  }

  /** llama-server's command line for the spec: each slot gets the whole configured context. */
  static List<String> arguments(RunnerSpec spec, EngineInfo info) {
    List<String> arguments = new ArrayList<>(List.of("--model", spec.path(),
        "--ctx-size", Integer.toString(spec.contextSize() * spec.slots()),
        "--parallel", Integer.toString(spec.slots()),
        "--verbosity", Integer.toString(verbosity(spec.logLevel()))));
    if (spec.threads() > 0) {
      arguments.addAll(List.of("--threads", Integer.toString(spec.threads())));
    }
    // A CPU build has no layers to offload: the option would only make llama.cpp warn.
    if (spec.gpuLayers() != null && !"cpu".equals(info.backend())) {
      arguments.addAll(List.of("--gpu-layers", spec.gpuLayers() < 0 ? "all" : spec.gpuLayers().toString()));
    }
    if (spec.mmproj() != null) {
      arguments.addAll(List.of("--mmproj", spec.mmproj()));
    }
    if (spec.chatTemplate() != null) {
      arguments.addAll(List.of("--chat-template", spec.chatTemplate()));
    }
    if (spec.embedding()) {
      // The default pooling gives every input the first token's vector on llama models.
      arguments.addAll(List.of("--embedding", "--pooling", "last"));
    }
    return arguments;
  }

  /** llama.cpp's log threshold for the gateway's level: only its errors reach the gateway's info ({@code RunnerLog}). */
  private static int verbosity(String logLevel) {
    return switch (logLevel) {
      case "trace" -> 5;
      case "debug" -> 3;
      default -> 1;
    };
  }

  @Override
  public EngineInfo info() {
    return info;
  }

  @Override
  public JsonObject tools() {
    return RequestPlan.toolsListing(spec.structuredPlan(), templateRendersTools && spec.structuredPlan()
        == StructuredPlan.AUTO ? new JsonObject().put("parsed_by", "llama.cpp") : null);
  }

  @Override
  public Generation prepare(ChatRequest request) {
    if (!vision) {
      ImageInput.refuse(request, "it has no vision projector; put its mmproj file beside it (a file named like the"
          + " model with mmproj in its name) or declare one under llama.models");
    }
    RequestPlan plan = RequestPlan.of(request, spec.structuredMode(), spec.structuredPlan(),
        templateRendersTools ? RequestPlan.Template.TOOLS_PARSED_BY_ENGINE : RequestPlan.Template.NO_TOOLS,
        ToolSyntax.TAGGED, schemas);
    return new LlamaCppGeneration(server.exchange("chat", ServerChat.body(request, plan, spec)), plan,
        request.sampling().topLogprobs());
  }

  @Override
  public JsonObject embed(List<String> inputs) {
    JsonObject answer;
    try {
      answer = server.call("embeddings", new JsonObject().put("input", new JsonArray(inputs))
          .put("encoding_format", "float"));
    } catch (LlamaServerError error) {
      throw ServerErrors.toApiError(error.status(), error.body(), "input").exception();
    }
    JsonArray vectors = new JsonArray();
    answer.getJsonArray("data", new JsonArray()).stream().map(JsonObject.class::cast)
        .forEach(item -> vectors.add(item.getJsonArray("embedding")));
    if (vectors.size() != inputs.size()) {
      throw ApiError.internal("local model: llama.cpp returned " + vectors.size() + " embeddings for "
          + inputs.size() + " inputs").exception();
    }
    return new JsonObject().put("embeddings", vectors)
        .put("prompt_tokens", answer.getJsonObject("usage", new JsonObject()).getInteger("prompt_tokens", 0));
  }

  @Override
  public void close() throws InterruptedException {
    server.close();
  }
}
