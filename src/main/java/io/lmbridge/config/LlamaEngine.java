package io.lmbridge.config;

import java.util.Arrays;
import java.util.Optional;

/** Which engine runners load local models with ({@code llama.engine}). */
public enum LlamaEngine {
  /** The current llama.cpp when its library was built into this jar, else java-llama.cpp. */
  AUTO("auto"),
  /**
   * llama.cpp at the release pinned in {@code native/}, built with the gateway: every architecture it knows,
   * vision, CUDA.
   */
  LLAMA_CPP("llama.cpp"),
  /** java-llama.cpp 4.2.0 (llama.cpp b4916, March 2025): the fallback where no native build exists. */
  JAVA_LLAMA_CPP("java-llama.cpp");

  private final String configName;

  LlamaEngine(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  public static Optional<LlamaEngine> parse(String value) {
    return Arrays.stream(values()).filter(engine -> engine.configName.equals(value)).findFirst();
  }
}
