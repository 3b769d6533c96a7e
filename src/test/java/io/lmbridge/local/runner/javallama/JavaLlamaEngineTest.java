package io.lmbridge.local.runner.javallama;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JavaLlamaEngineTest {

  /** On an H200, llama.cpp b4916 given -1 offloaded nothing: docs/BENCHMARKS.md, "On a GPU". */
  @Test
  void minusOneGpuLayersAsksLlamaCppForEveryLayerAndUnsetForNone() {
    assertThat(JavaLlamaEngine.llamaGpuLayers(-1)).isEqualTo(999);
    assertThat(JavaLlamaEngine.llamaGpuLayers(0)).isZero();
    assertThat(JavaLlamaEngine.llamaGpuLayers(12)).isEqualTo(12);
    assertThat(JavaLlamaEngine.llamaGpuLayers(null)).isZero();
  }
}
