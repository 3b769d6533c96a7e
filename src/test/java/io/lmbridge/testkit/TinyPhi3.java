package io.lmbridge.testkit;

import java.nio.file.Path;

/**
 * A tiny Phi-3 with Phi-3's real SentencePiece tokenizer, read from llama.cpp's
 * {@code models/ggml-vocab-phi-3.gguf} as it is ({@code <|user|>}, {@code <|assistant|>}, {@code <|end|>} and
 * the other control tokens included). Phi-3 fuses Q, K and V into one matrix, {@code attn_qkv}, and the
 * feed-forward gate and up projections into {@code ffn_up}. About 3 MB, most of it the vocabulary's rows.
 */
final class TinyPhi3 {

  private static final TinyGguf.Shape SHAPE = new TinyGguf.Shape(32, 2, 2, 2, 64, true, true);
  /** Answers of 59 tokens on average (see {@link TinyModel}). */
  private static final float END_BIAS = 0.56f;

  private TinyPhi3() {
  }

  static Path write(Path dir, String fileName, Path vocabularyFile, String chatTemplate) {
    TinyModel model = new TinyModel("phi3", SHAPE, Vocabulary.read(vocabularyFile))
        .sizes()
        .uint32("rope.scaling.original_context_length", TinyModel.CONTEXT_LENGTH)
        .heads()
        .float32("attention.layer_norm_rms_epsilon", 1e-5f)
        .uint32("rope.dimension_count", SHAPE.headDim())
        .float32("rope.freq_base", 10000f)
        .tokenizer(chatTemplate)
        .embeddings(END_BIAS);
    for (int layer = 0; layer < SHAPE.layers(); layer++) {
      model.block(layer).norm("attn_norm.weight").fusedAttention().norm("ffn_norm.weight").fusedFeedForward();
    }
    return model.write(dir, fileName);
  }
}
