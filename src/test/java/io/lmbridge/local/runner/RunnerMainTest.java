package io.lmbridge.local.runner;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RunnerMainTest {

  /** On an H200, llama.cpp given -1 offloaded nothing: docs/BENCHMARKS.md, "On a GPU". */
  @Test
  void minusOneGpuLayersAsksLlamaCppForEveryLayer() {
    assertThat(RunnerMain.llamaGpuLayers(-1)).isEqualTo(999);
    assertThat(RunnerMain.llamaGpuLayers(0)).isZero();
    assertThat(RunnerMain.llamaGpuLayers(12)).isEqualTo(12);
  }
}
