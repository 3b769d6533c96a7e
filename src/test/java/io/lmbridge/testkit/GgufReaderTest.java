package io.lmbridge.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GgufReaderTest {

  @TempDir
  Path dir;

  @Test
  void readsBackWhatTheWriterWroteInFileOrder() throws IOException {
    Path file = new GgufWriter()
        .string("general.architecture", "llama")
        .uint32("llama.block_count", 3)
        .float32("llama.rope.freq_base", 10000f)
        .bool("tokenizer.ggml.add_bos_token", true)
        .strings("tokenizer.ggml.tokens", List.of("<s>", "h\u00e9", "\u2581world"))
        .float32s("tokenizer.ggml.scores", new float[] {0f, -1.5f, 2f})
        .int32s("llama.attention.head_count", new int[] {0, 4, -1})
        .tensor("output_norm.weight", new float[] {1f, 2f}, 2)
        .write(dir, "model.gguf");

    GgufReader gguf = GgufReader.read(file);

    assertThat(gguf.values()).containsOnlyKeys("general.architecture", "llama.block_count", "llama.rope.freq_base",
        "tokenizer.ggml.add_bos_token", "tokenizer.ggml.tokens", "tokenizer.ggml.scores",
        "llama.attention.head_count");
    assertThat(List.copyOf(gguf.values().keySet())).startsWith("general.architecture", "llama.block_count");
    assertThat(gguf.string("general.architecture")).isEqualTo("llama");
    assertThat(gguf.integer("llama.block_count")).isEqualTo(3);
    assertThat(gguf.values().get("llama.rope.freq_base")).isEqualTo(10000f);
    assertThat(gguf.values().get("tokenizer.ggml.add_bos_token")).isEqualTo(true);
    assertThat(gguf.strings("tokenizer.ggml.tokens")).containsExactly("<s>", "h\u00e9", "\u2581world");
    assertThat(gguf.floats("tokenizer.ggml.scores")).containsExactly(0f, -1.5f, 2f);
    assertThat(gguf.ints("llama.attention.head_count")).containsExactly(0, 4, -1);
    assertThat(gguf.has("tokenizer.ggml.merges")).isFalse();
  }

  @Test
  void saysWhatIsMissingOrOfAnotherType() throws IOException {
    GgufReader gguf = GgufReader.read(new GgufWriter().strings("tokens", List.of("a")).write(dir, "tokens.gguf"));

    assertThatThrownBy(() -> gguf.string("absent")).hasMessage("no absent");
    assertThatThrownBy(() -> gguf.floats("tokens")).hasMessage("tokens holds Strings");
  }

  @Test
  void refusesWhatIsNotGgufOrIsCutShort() throws IOException {
    Path text = Files.writeString(dir.resolve("text.gguf"), "not a model, just some text");
    byte[] model = Files.readAllBytes(new GgufWriter().string("general.name", "x").write(dir, "whole.gguf"));
    // Cut in the middle of the key, after the 24-byte header.
    Path truncated = Files.write(dir.resolve("truncated.gguf"), Arrays.copyOf(model, 30));

    assertThatThrownBy(() -> GgufReader.read(text)).isInstanceOf(IOException.class).hasMessageContaining("not a GGUF");
    assertThatThrownBy(() -> GgufReader.read(truncated)).isInstanceOf(IOException.class)
        .hasMessageContaining("truncated");
  }
}
