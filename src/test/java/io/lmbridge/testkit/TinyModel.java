package io.lmbridge.testkit;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a tiny model's file has whatever its architecture: the {@code general.*} keys, hyper-parameters named
 * after the architecture, the tokenizer, the embeddings and output layer, and the layers' common tensors.
 * Each architecture's class says which of them it has, and adds its own.
 *
 * <p>Random weights would pick tokens uniformly: mostly bytes, control tokens and other scripts, in invalid
 * UTF-8. So every token embedding carries a constant 1 in dimension 0, which survives the final RMS norm as
 * a large positive component, and the output rows weigh it: printable pieces by {@link #PIECE_BIAS}, so the
 * text is mostly printable ASCII, and the end-of-generation tokens by the end bias given, a little more, so a
 * generation ends on its own after tens of tokens. The layers of the other architectures' shapes leave the
 * constant alone ({@link TinyGguf.Shape#steadyConstant}). How much more the end tokens need depends on how
 * strongly the constant survives the architecture's layers and on how many pieces the vocabulary has, so each
 * architecture has its own, measured with llama-server: the mean length of the answers to one short question
 * for seeds 1 to 20 at temperature 0.8, all of which ended before 200 tokens.
 */
final class TinyModel {

  /**
   * {@code <arch>.context_length}: the training context, which llama.cpp v0.5.0 gives each slot at most,
   * so tests may use contexts up to this.
   */
  static final int CONTEXT_LENGTH = 8192;

  private static final float PIECE_BIAS = 0.4f;

  private final String architecture;
  private final TinyGguf.Shape shape;
  private final Vocabulary vocabulary;
  private final GgufWriter gguf = new GgufWriter();
  private final Weights weights;

  TinyModel(String architecture, TinyGguf.Shape shape, Vocabulary vocabulary) {
    this.architecture = architecture;
    this.shape = shape;
    this.vocabulary = vocabulary;
    this.weights = Weights.seeded(gguf, shape);
    gguf.string("general.architecture", architecture)
        .string("general.name", "TinyGguf")
        .uint32("general.alignment", GgufWriter.ALIGNMENT);
  }

  /** {@code context_length}, {@code embedding_length}, {@code block_count} and {@code feed_forward_length}. */
  TinyModel sizes() {
    return uint32("context_length", CONTEXT_LENGTH)
        .uint32("embedding_length", shape.embedding())
        .uint32("block_count", shape.layers())
        .uint32("feed_forward_length", shape.feedForward());
  }

  /** The same number of attention heads in every layer. */
  TinyModel heads() {
    return uint32("attention.head_count", shape.heads()).uint32("attention.head_count_kv", shape.kvHeads());
  }

  /** A hyper-parameter: {@code key} is its name after the architecture's. */
  TinyModel uint32(String key, int value) {
    gguf.uint32(architecture + "." + key, value);
    return this;
  }

  TinyModel float32(String key, float value) {
    gguf.float32(architecture + "." + key, value);
    return this;
  }

  /** A per-layer hyper-parameter. */
  TinyModel int32s(String key, int[] values) {
    gguf.int32s(architecture + "." + key, values);
    return this;
  }

  /** The vocabulary, and the chat template unless it is null. */
  TinyModel tokenizer(String chatTemplate) {
    vocabulary.write(gguf);
    if (chatTemplate != null) {
      gguf.string("tokenizer.chat_template", chatTemplate);
    }
    return this;
  }

  /** {@code token_embd}, {@code output_norm} and {@code output}, biased as the class comment says. */
  TinyModel embeddings(float endBias) {
    return embeddings(endBias, Map.of());
  }

  /** The same, with the tokens of these texts given these biases instead. */
  TinyModel embeddings(float endBias, Map<String, Float> favoured) {
    int width = shape.embedding();
    int size = vocabulary.size();
    float[] embeddings = weights.values(width * size);
    float[] output = weights.values(width * size);
    for (int token = 0; token < size; token++) {
      embeddings[token * width] = 1f;
      output[token * width] = favoured.getOrDefault(vocabulary.token(token),
          vocabulary.isEnd(token) ? endBias : vocabulary.isPrintable(token) ? PIECE_BIAS : 0f);
    }
    weights.matrix("token_embd.weight", embeddings, width, size);
    weights.filled("output_norm.weight", 1f, width);
    weights.matrix("output.weight", output, width, size);
    return this;
  }

  Block block(int layer) {
    return new Block("blk." + layer + ".");
  }

  Path write(Path dir, String fileName) {
    return gguf.write(dir, fileName);
  }

  /** One layer's tensors, named {@code blk.<layer>.<name>}. */
  final class Block {
    private final String prefix;

    private Block(String prefix) {
      this.prefix = prefix;
    }

    /** An RMS norm's weights, all one: {@code name} is complete, as some architectures have no ".weight". */
    Block norm(String name) {
      return filled(name, 1f, shape.embedding());
    }

    /** An F32 tensor of one value. */
    Block filled(String name, float value, long... dims) {
      weights.filled(prefix + name, value, dims);
      return this;
    }

    Block random(String name, int rowLength, int rows) {
      weights.random(prefix + name, rowLength, rows);
      return this;
    }

    /** A matrix that writes the residual stream: see {@link Weights#writingResidual}. */
    Block residual(String name, int rowLength, int rows) {
      weights.residual(prefix + name, rowLength, rows);
      return this;
    }

    /** {@code attn_q}, {@code attn_k}, {@code attn_v} and {@code attn_output}. */
    Block attention() {
      int width = shape.embedding();
      return random("attn_q.weight", width, queryWidth())
          .random("attn_k.weight", width, keyValueWidth())
          .random("attn_v.weight", width, keyValueWidth())
          .residual("attn_output.weight", queryWidth(), width);
    }

    /** Q, K and V as one matrix, {@code attn_qkv}, and {@code attn_output}. */
    Block fusedAttention() {
      int width = shape.embedding();
      return random("attn_qkv.weight", width, queryWidth() + 2 * keyValueWidth())
          .residual("attn_output.weight", queryWidth(), width);
    }

    /** Per-head RMS norms of Q and K, {@code attn_q_norm} and {@code attn_k_norm}, shared by the heads. */
    Block headNorms() {
      return filled("attn_q_norm.weight", 1f, shape.headDim()).filled("attn_k_norm.weight", 1f, shape.headDim());
    }

    /** A gated feed-forward network: {@code ffn_gate}, {@code ffn_up} and {@code ffn_down}. */
    Block feedForward() {
      int width = shape.embedding();
      return random("ffn_gate.weight", width, shape.feedForward())
          .random("ffn_up.weight", width, shape.feedForward())
          .residual("ffn_down.weight", shape.feedForward(), width);
    }

    /** A gated feed-forward network whose gate and up projections are one matrix, {@code ffn_up}. */
    Block fusedFeedForward() {
      int width = shape.embedding();
      return random("ffn_up.weight", width, 2 * shape.feedForward())
          .residual("ffn_down.weight", shape.feedForward(), width);
    }

    private int queryWidth() {
      return shape.heads() * shape.headDim();
    }

    private int keyValueWidth() {
      return shape.kvHeads() * shape.headDim();
    }
  }
}
