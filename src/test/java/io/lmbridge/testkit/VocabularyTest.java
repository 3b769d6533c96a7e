package io.lmbridge.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VocabularyTest {

  @TempDir
  Path dir;

  @Test
  void aVocabularyFileIsWrittenBackAsItIsWithItsReplacements() throws IOException {
    Path file = new GgufWriter()
        .string("general.architecture", "qwen2")
        .string("tokenizer.ggml.model", "gpt2")
        .string("tokenizer.ggml.pre", "qwen2")
        .strings("tokenizer.ggml.tokens", List.of("a", "\u0120b", "<|im_end|>", "[PAD3]"))
        .int32s("tokenizer.ggml.token_type", new int[] {1, 1, 3, 4})
        .strings("tokenizer.ggml.merges", List.of("\u0120 b"))
        .uint32("tokenizer.ggml.eos_token_id", 2)
        .bool("tokenizer.ggml.add_bos_token", false)
        .write(dir, "vocab.gguf");

    Vocabulary vocabulary = Vocabulary.read(file).replace(3, "[PAD3]", "<think>", Vocabulary.TOKEN_USER_DEFINED);
    GgufWriter copy = new GgufWriter();
    vocabulary.write(copy);
    GgufReader written = GgufReader.read(copy.write(dir, "copy.gguf"));

    assertThat(written.values()).containsExactly(
        entry("tokenizer.ggml.model", "gpt2"), entry("tokenizer.ggml.pre", "qwen2"),
        entry("tokenizer.ggml.tokens", List.of("a", "\u0120b", "<|im_end|>", "<think>")),
        entry("tokenizer.ggml.token_type", List.of(1L, 1L, 3L, 4L)),
        entry("tokenizer.ggml.merges", List.of("\u0120 b")),
        entry("tokenizer.ggml.eos_token_id", 2L), entry("tokenizer.ggml.add_bos_token", false));
    assertThatThrownBy(() -> vocabulary.replace(0, "[PAD0]", "<tool_call>", Vocabulary.TOKEN_USER_DEFINED))
        .hasMessage("token 0 is a, not [PAD0]");
  }

  @Test
  void theTinyVocabularyEndsOnItsEndTokensAndPrintsItsPieces() {
    Vocabulary vocabulary = Vocabulary.sentencePiece();

    assertThat(IntStream.range(0, vocabulary.size()).filter(vocabulary::isEnd).mapToObj(vocabulary::token))
        .containsExactly("</s>", "<|im_end|>");
    assertThat(vocabulary.isPrintable(vocabulary.size() - 1)).isTrue();
    assertThat(vocabulary.token(5)).isEqualTo("<0x00>");
    assertThat(vocabulary.isPrintable(5)).isFalse();
  }

  @Test
  void plamo2EndsOnItsEndOfSequenceAndItsOperatorToken() {
    Vocabulary vocabulary = Vocabulary.plamo2();

    assertThat(IntStream.range(0, vocabulary.size()).filter(vocabulary::isEnd).mapToObj(vocabulary::token))
        .containsExactly("<|plamo:eos|>", "<|plamo:op|>");
  }

  private static Map.Entry<String, Object> entry(String key, Object value) {
    return Map.entry(key, value);
  }
}
