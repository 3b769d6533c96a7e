package io.lmbridge.testkit;

import java.nio.file.Path;

/**
 * A tiny Gemma 3 text model, with TinyGguf's tiny vocabulary plus Gemma's turn and image control tokens, and
 * the sliding-window attention real Gemma 3 files have: {@code attention.sliding_window} and no pattern key,
 * so llama.cpp applies Gemma 3's own, five sliding-window layers to one global one, which is why it has six.
 * Each layer has Q and K head norms and RMS norms after attention and after the feed-forward network; the
 * head size is {@code attention.key_length}. {@link TinyGemma3Projector} writes its vision projector.
 */
final class TinyGemma3 {

  static final TinyGguf.Shape SHAPE = new TinyGguf.Shape(64, 6, 4, 2, 128, false, true);
  /** Gemma 3 1B's window is 512 tokens; this one is smaller than the tiny context, so it matters in tests. */
  private static final int SLIDING_WINDOW = 128;
  /** Answers of 45 tokens on average (see {@link TinyModel}). */
  private static final float END_BIAS = 0.4f;

  /** Gemma 3's chat format: no system turn (a system prompt opens the first user turn), "model" for the assistant. */
  private static final String TEMPLATE = """
      {{ bos_token }}
      {%- if messages[0]['role'] == 'system' -%}
        {%- set first_user_prefix = messages[0]['content'] + '\\n\\n' -%}
        {%- set loop_messages = messages[1:] -%}
      {%- else -%}
        {%- set first_user_prefix = '' -%}
        {%- set loop_messages = messages -%}
      {%- endif -%}
      {%- for message in loop_messages -%}
        {{ '<start_of_turn>' + ('model' if message['role'] == 'assistant' else message['role']) + '\\n'
           + (first_user_prefix if loop.first else '') + (message['content'] | trim) + '<end_of_turn>\\n' }}
      {%- endfor -%}
      {%- if add_generation_prompt -%}{{ '<start_of_turn>model\\n' }}{%- endif -%}
      """;

  private TinyGemma3() {
  }

  static Path write(Path dir, String fileName) {
    Vocabulary vocabulary = Vocabulary.sentencePiece()
        .addControlTokens("<start_of_turn>", "<end_of_turn>", "<start_of_image>", "<end_of_image>",
            "<image_soft_token>");
    TinyModel model = new TinyModel("gemma3", SHAPE, vocabulary).sizes().heads()
        .uint32("attention.key_length", SHAPE.headDim())
        .uint32("attention.value_length", SHAPE.headDim())
        .float32("attention.layer_norm_rms_epsilon", 1e-6f)
        .float32("rope.freq_base", 1_000_000f)
        .uint32("attention.sliding_window", SLIDING_WINDOW)
        .tokenizer(TEMPLATE)
        .embeddings(END_BIAS);
    for (int layer = 0; layer < SHAPE.layers(); layer++) {
      model.block(layer).norm("attn_norm.weight").attention().headNorms().norm("post_attention_norm.weight")
          .norm("ffn_norm.weight").feedForward().norm("post_ffw_norm.weight");
    }
    return model.write(dir, fileName);
  }
}
