package io.lmbridge.testkit;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A tiny Qwen3 with Qwen's real tokenizer, so a chat template's special tokens are single tokens as they are
 * for a real Qwen3: a Llama-like model whose attention has per-head RMS norms of Q and K, sized by
 * {@code attention.key_length}.
 *
 * <p>The tokenizer is read from llama.cpp's {@code models/ggml-vocab-qwen2.gguf}: Qwen2's byte-level BPE
 * (tokens, merges, pre-tokenizer {@code qwen2}, special ids), which Qwen3 kept. That file predates the tokens
 * Qwen3 added and holds padding in their slots, so they are put there, with the types a converted Qwen3 has:
 * control for {@code <|...|>}, user-defined for {@code <tool_call>}, {@code <think>} and the like (which
 * llama.cpp matches in any text, as special tokens). The vocabulary's 151,936 rows make the file about 16 MB
 * even this narrow.
 */
final class TinyQwen3 {

  private static final TinyGguf.Shape SHAPE = new TinyGguf.Shape(32, 2, 2, 1, 64, true, true);
  /** Answers of 65 tokens on average (see {@link TinyModel}). */
  private static final float END_BIAS = 0.72f;
  /** The tokens Qwen3 added to Qwen2's vocabulary, from id 151646 on. */
  private static final List<String> ADDED = List.of("<|object_ref_start|>", "<|object_ref_end|>",
      "<|box_start|>", "<|box_end|>", "<|quad_start|>", "<|quad_end|>", "<|vision_start|>", "<|vision_end|>",
      "<|vision_pad|>", "<|image_pad|>", "<|video_pad|>", "<tool_call>", "</tool_call>", "<|fim_prefix|>",
      "<|fim_middle|>", "<|fim_suffix|>", "<|fim_pad|>", "<|repo_name|>", "<|file_sep|>", "<tool_response>",
      "</tool_response>", "<think>", "</think>");
  private static final int FIRST_ADDED = 151646;

  private TinyQwen3() {
  }

  /** @param favoured token texts and the output bias each gets instead of the usual (see {@link TinyModel}) */
  static Path write(Path dir, String fileName, Path vocabularyFile, String chatTemplate, Map<String, Float> favoured) {
    TinyModel model = new TinyModel("qwen3", SHAPE, vocabulary(vocabularyFile)).sizes().heads()
        .uint32("attention.key_length", SHAPE.headDim())
        .uint32("attention.value_length", SHAPE.headDim())
        .float32("attention.layer_norm_rms_epsilon", 1e-6f)
        .float32("rope.freq_base", 1_000_000f)
        .tokenizer(chatTemplate)
        .embeddings(END_BIAS, favoured);
    for (int layer = 0; layer < SHAPE.layers(); layer++) {
      model.block(layer).norm("attn_norm.weight").attention().headNorms().norm("ffn_norm.weight").feedForward();
    }
    return model.write(dir, fileName);
  }

  private static Vocabulary vocabulary(Path file) {
    Vocabulary vocabulary = Vocabulary.read(file);
    for (int i = 0; i < ADDED.size(); i++) {
      String token = ADDED.get(i);
      // The converter's rule: what looks like <|...|> is a control token.
      int type = token.startsWith("<|") ? Vocabulary.TOKEN_CONTROL : Vocabulary.TOKEN_USER_DEFINED;
      vocabulary.replace(FIRST_ADDED + i, "[PAD" + (FIRST_ADDED + i) + "]", token, type);
    }
    return vocabulary;
  }
}
