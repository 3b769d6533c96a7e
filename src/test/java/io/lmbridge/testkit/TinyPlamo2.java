package io.lmbridge.testkit;

import java.nio.file.Path;

/**
 * A tiny PLaMo-2: a hybrid of Mamba-2 and attention layers, laid out as llama.cpp's converter writes real
 * PLaMo-2 models ({@code conversion/plamo.py}, {@code mamba_step} 2): even layers are Mamba, odd ones
 * attention, so layer 0 has no attention heads. Per-layer {@code head_count} and {@code head_count_kv}
 * arrays say which is which (0 for Mamba), {@code attention.key_length} gives the head size, there is no
 * {@code rope.dimension_count}, and the {@code ssm.*} keys size the Mamba layers. Every layer has RMS
 * norms before and after its mixer and its feed-forward network, whose gate and up projections are one matrix.
 *
 * <p>llama.cpp v0.5.0 cannot run such a file as released: it takes the rotary dimensions from layer 0, which
 * has none; {@code native/patches/0001-plamo2-rotary-dimensions.patch} fixes that.
 */
final class TinyPlamo2 {

  private static final TinyGguf.Shape SHAPE = new TinyGguf.Shape(64, 2, 4, 2, 128, false, true);
  /** Answers of 38 tokens on average (see {@link TinyModel}). */
  private static final float END_BIAS = 0.5f;
  private static final int MAMBA_HEADS = 4;
  private static final int STATE_SIZE = 16;
  private static final int CONV_KERNEL = 4;
  /** PLaMo-2's time-step projection width, which llama.cpp derives from the embedding width. */
  private static final int TIME_STEP_WIDTH = Math.max(64, SHAPE.embedding() / 16);

  /**
   * The weights of the norms after the mixer and after the feed-forward network: the converter adds 1/5 and
   * 1/5^1.5 to PLaMo-2's, which start at 0. Small, they keep the embeddings' constant dimension dominant.
   */
  private static final float POST_MIXER_NORM = 0.2f;
  private static final float POST_FEED_FORWARD_NORM = (float) Math.pow(5, -1.5);

  /**
   * A chat template of our own (PLaMo-2's base models have none): PLaMo's operator token, {@code <|plamo:op|>},
   * opens each turn, and as the converter makes it the end-of-turn token, it also ends a generation.
   */
  private static final String TEMPLATE = "{% for message in messages %}"
      + "{{ '<|plamo:op|>' + message['role'] + '\\n' + message['content'] + '\\n' }}"
      + "{% endfor %}"
      + "{% if add_generation_prompt %}{{ '<|plamo:op|>assistant\\n' }}{% endif %}";

  private TinyPlamo2() {
  }

  static Path write(Path dir, String fileName) {
    Vocabulary vocabulary = Vocabulary.plamo2();
    int innerSize = MAMBA_HEADS * SHAPE.headDim();
    TinyModel model = new TinyModel("plamo2", SHAPE, vocabulary)
        .uint32("vocab_size", vocabulary.size())
        .int32s("attention.head_count_kv", perLayer(SHAPE.kvHeads()))
        .int32s("attention.head_count", perLayer(SHAPE.heads()))
        .uint32("context_length", TinyModel.CONTEXT_LENGTH)
        .uint32("embedding_length", SHAPE.embedding())
        .uint32("attention.key_length", SHAPE.headDim())
        .uint32("attention.value_length", SHAPE.headDim())
        .uint32("block_count", SHAPE.layers())
        .float32("attention.layer_norm_rms_epsilon", 1e-6f)
        .float32("rope.freq_base", 10000f)
        .uint32("ssm.state_size", STATE_SIZE)
        .uint32("ssm.conv_kernel", CONV_KERNEL)
        .uint32("ssm.time_step_rank", MAMBA_HEADS)
        .uint32("ssm.inner_size", innerSize)
        .uint32("ssm.group_count", 0)
        .uint32("feed_forward_length", SHAPE.feedForward())
        .tokenizer(TEMPLATE)
        .embeddings(END_BIAS);
    int width = SHAPE.embedding();
    for (int layer = 0; layer < SHAPE.layers(); layer++) {
      TinyModel.Block block = model.block(layer).norm("attn_norm.weight");
      if (isMamba(layer)) {
        block.random("ssm_in.weight", width, 2 * innerSize)
            .random("ssm_conv1d.weight", CONV_KERNEL, innerSize)
            .random("ssm_x.weight", innerSize, TIME_STEP_WIDTH + 2 * STATE_SIZE)
            .random("ssm_dt.weight", TIME_STEP_WIDTH, MAMBA_HEADS)
            .filled("ssm_dt.bias", 0f, MAMBA_HEADS)
            // A = -exp(A_log) with A_log = 0: every head's state decays at the same rate.
            .filled("ssm_a", -1f, MAMBA_HEADS)
            .filled("ssm_d", 1f, MAMBA_HEADS)
            .residual("ssm_out.weight", innerSize, width)
            .filled("ssm_dt_norm", 1f, TIME_STEP_WIDTH)
            .filled("ssm_b_norm", 1f, STATE_SIZE)
            .filled("ssm_c_norm", 1f, STATE_SIZE);
      } else {
        block.fusedAttention()
            .filled("attn_q_norm.weight", 1f, SHAPE.headDim(), SHAPE.heads())
            .filled("attn_k_norm.weight", 1f, SHAPE.headDim(), SHAPE.kvHeads());
      }
      block.filled("post_attention_norm", POST_MIXER_NORM, width).norm("ffn_norm.weight").fusedFeedForward()
          .filled("post_ffw_norm", POST_FEED_FORWARD_NORM, width);
    }
    return model.write(dir, fileName);
  }

  /** As the converter decides with {@code mamba_step} 2. */
  private static boolean isMamba(int layer) {
    return layer % 2 == 0;
  }

  /** A head count for the attention layers, 0 for the Mamba ones. */
  private static int[] perLayer(int heads) {
    int[] counts = new int[SHAPE.layers()];
    for (int layer = 0; layer < counts.length; layer++) {
      counts[layer] = isMamba(layer) ? 0 : heads;
    }
    return counts;
  }
}
