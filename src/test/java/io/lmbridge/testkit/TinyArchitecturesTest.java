package io.lmbridge.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The metadata that makes the tiny models of other architectures what llama.cpp expects of real ones. Whether
 * llama.cpp loads them is for tests that run it.
 */
class TinyArchitecturesTest {

  @TempDir
  Path dir;

  @Test
  void plamo2HasAMambaLayerFirstAndNoRotaryDimensions() throws IOException {
    GgufReader gguf = GgufReader.read(TinyGguf.plamo2(dir, "plamo2.gguf"));

    assertThat(gguf.ints("plamo2.attention.head_count")).containsExactly(0, 4);
    assertThat(gguf.ints("plamo2.attention.head_count_kv")).containsExactly(0, 2);
    assertThat(gguf.integer("plamo2.attention.key_length")).isEqualTo(16);
    assertThat(gguf.has("plamo2.rope.dimension_count")).isFalse();
    assertThat(gguf.string("tokenizer.ggml.model")).isEqualTo("plamo2");
  }

  @Test
  void gemma3SlidesItsWindowAndItsProjectorMatchesItsWidth() throws IOException {
    GgufReader model = GgufReader.read(TinyGguf.gemma3(dir, "gemma3.gguf"));
    GgufReader projector = GgufReader.read(TinyGguf.gemma3Projector(dir, "mmproj.gguf"));

    assertThat(model.integer("gemma3.attention.sliding_window")).isEqualTo(128);
    assertThat(model.has("gemma3.attention.sliding_window_pattern")).isFalse();
    assertThat(model.strings("tokenizer.ggml.tokens")).contains("<start_of_turn>", "<end_of_turn>",
        "<start_of_image>", "<end_of_image>");
    assertThat(projector.string("clip.projector_type")).isEqualTo("gemma3");
    assertThat(projector.integer("clip.vision.projection_dim")).isEqualTo(model.integer("gemma3.embedding_length"));
  }
}
