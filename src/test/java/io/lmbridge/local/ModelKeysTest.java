package io.lmbridge.local;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ModelKeysTest {

  @Test
  void namesDropTheExtensionAndTheQuantizationTag() {
    assertThat(ModelKeys.nameOf("Phi-4-mini-instruct-Q4_K_M.gguf")).contains("phi-4-mini-instruct");
    assertThat(ModelKeys.nameOf("Qwen3-14B-Q8_0.gguf")).contains("qwen3-14b");
    assertThat(ModelKeys.nameOf("Gemma-3-4b-it-q4_0.gguf")).contains("gemma-3-4b-it");
    assertThat(ModelKeys.nameOf("Llama-3.2-1B-Instruct-IQ2_XXS.gguf")).contains("llama-3.2-1b-instruct");
    assertThat(ModelKeys.nameOf("model-f16.gguf")).contains("model");
    assertThat(ModelKeys.nameOf("stories260K.gguf")).contains("stories260k");
  }

  @Test
  void visionProjectorsAndOtherFilesAreNotModels() {
    assertThat(ModelKeys.nameOf("gemma-3-4b-it-mmproj-f16.gguf")).isEmpty();
    assertThat(ModelKeys.nameOf("mmproj-model.gguf")).isEmpty();
    assertThat(ModelKeys.nameOf("notes.txt")).isEmpty();
    assertThat(ModelKeys.nameOf("My Model.gguf")).isEmpty();
  }

  @Test
  void aProjectorBelongsToTheModelWhoseNameItHasWithoutMmproj() {
    assertThat(ModelKeys.projectorOf("Gemma-3-4b-it-mmproj-q4_0.gguf")).contains("gemma-3-4b-it");
    assertThat(ModelKeys.projectorOf("mmproj-Gemma-3-4b-it-f16.gguf")).contains("gemma-3-4b-it");
    assertThat(ModelKeys.projectorOf("gemma-3-4b-it.mmproj.gguf")).contains("gemma-3-4b-it");
    assertThat(ModelKeys.projectorOf("Gemma-3-4b-it-q4_0.gguf")).isEmpty();
    assertThat(ModelKeys.projectorOf("mmproj.txt")).isEmpty();
  }
}
