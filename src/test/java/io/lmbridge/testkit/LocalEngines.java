package io.lmbridge.testkit;

import io.lmbridge.config.LlamaEngine;
import io.lmbridge.local.runner.llamacpp.LlamaCppEngine;
import io.lmbridge.local.runner.llamacpp.LlamaCppLibrary;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Which local engines this build has: llama.cpp only where native/build.sh could build it. */
public final class LocalEngines {

  private LocalEngines() {
  }

  public static boolean llamaCppBuilt() {
    return LlamaCppEngine.engineInfo().isPresent();
  }

  /**
   * The llama.cpp source tree the engine was built from, for its vocabularies ({@code models/ggml-vocab-*.gguf})
   * and chat templates ({@code models/templates/*.jinja}); the calling test is skipped where there is none.
   */
  public static Path llamaCppSource() {
    Path source = LlamaCppLibrary.build().map(LlamaCppLibrary.Build::source).map(Path::of).orElse(null);
    assumeTrue(source != null && Files.isDirectory(source.resolve("models")),
        "the llama.cpp engine and the source tree it was built from are not here");
    return source;
  }

  /** Skips the calling test where the engine was not built; java-llama.cpp is always there. */
  public static void assumeAvailable(LlamaEngine engine) {
    if (engine == LlamaEngine.LLAMA_CPP) {
      assumeTrue(llamaCppBuilt(), "the llama.cpp engine was not built here (see the native: line of the build)");
    }
  }
}
