package io.lmbridge.local;

import io.lmbridge.config.LlamaEngine;
import io.vertx.core.json.JsonObject;

/** Why a local model did not load, in words that say which engine refused it and what to do. */
final class LoadFailure {

  private LoadFailure() {
  }

  /**
   * @param engine the runner's engine ({@code name}, {@code llama_cpp}), or null when it never said
   * @param cause  the engine's own reason
   */
  static String describe(String model, String architecture, JsonObject engine, String cause) {
    boolean fallback = engine != null && LlamaEngine.JAVA_LLAMA_CPP.configName().equals(engine.getString("name"));
    String who = engine == null ? "the runner"
        : fallback ? "java-llama.cpp 4.2.0 (llama.cpp " + engine.getString("llama_cpp") + ")"
        : engine.getString("name") + " " + engine.getString("llama_cpp");
    String advice = fallback
        ? "; java-llama.cpp 4.2.0 is the fallback engine, whose llama.cpp predates many architectures: the current"
          + " llama.cpp engine loads '" + architecture + "' models once the gateway is built where CMake and a C++"
          + " compiler are installed (see native/README.md)"
        : "; the file may be damaged, or of an architecture this llama.cpp does not know";
    return who + " could not load local model '" + model + "' (architecture '" + architecture + "'): " + cause + advice;
  }
}
