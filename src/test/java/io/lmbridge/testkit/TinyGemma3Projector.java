package io.lmbridge.testkit;

import java.nio.file.Path;

/**
 * A tiny Gemma 3 vision projector ("mmproj") for {@link TinyGemma3}, as llama.cpp's libmtmd loads it: a
 * one-layer SigLIP encoder ({@code v.*}) whose patch embeddings are average-pooled four by four, then
 * RMS-normed and projected to the text model's width ({@code mm.*}). A 64-pixel image has 16 by 16 patches
 * of 4 pixels, so every image, resized to that, becomes 16 tokens between {@code <start_of_image>} and
 * {@code <end_of_image>}.
 */
final class TinyGemma3Projector {

  private static final TinyGguf.Shape VISION = new TinyGguf.Shape(32, 1, 2, 2, 64, false, false);
  private static final int IMAGE_SIZE = 64;
  private static final int PATCH_SIZE = 4;
  private static final int CHANNELS = 3;
  private static final float[] HALF = {0.5f, 0.5f, 0.5f};

  private TinyGemma3Projector() {
  }

  static Path write(Path dir, String fileName) {
    int width = VISION.embedding();
    int patches = (IMAGE_SIZE / PATCH_SIZE) * (IMAGE_SIZE / PATCH_SIZE);
    GgufWriter gguf = new GgufWriter()
        .string("general.architecture", "clip")
        .string("general.name", "TinyGguf")
        .bool("clip.has_vision_encoder", true)
        .string("clip.projector_type", "gemma3")
        .uint32("clip.vision.projection_dim", TinyGemma3.SHAPE.embedding())
        .uint32("clip.vision.image_size", IMAGE_SIZE)
        .uint32("clip.vision.patch_size", PATCH_SIZE)
        .uint32("clip.vision.embedding_length", width)
        .uint32("clip.vision.feed_forward_length", VISION.feedForward())
        .uint32("clip.vision.block_count", VISION.layers())
        .uint32("clip.vision.attention.head_count", VISION.heads())
        .float32("clip.vision.attention.layer_norm_epsilon", 1e-6f)
        .float32s("clip.vision.image_mean", HALF)
        .float32s("clip.vision.image_std", HALF)
        .bool("clip.use_gelu", true);
    Weights weights = Weights.seeded(gguf, VISION);
    gguf.tensor("v.patch_embd.weight", weights.values(PATCH_SIZE * PATCH_SIZE * CHANNELS * width),
        PATCH_SIZE, PATCH_SIZE, CHANNELS, width);
    weights.filled("v.patch_embd.bias", 0f, width);
    weights.random("v.position_embd.weight", width, patches);
    for (int layer = 0; layer < VISION.layers(); layer++) {
      String block = "v.blk." + layer + ".";
      layerNorm(weights, block + "ln1", width);
      for (String projection : new String[] {"attn_q", "attn_k", "attn_v", "attn_out"}) {
        linear(weights, block + projection, width, width);
      }
      layerNorm(weights, block + "ln2", width);
      linear(weights, block + "ffn_up", width, VISION.feedForward());
      linear(weights, block + "ffn_down", VISION.feedForward(), width);
    }
    layerNorm(weights, "v.post_ln", width);
    weights.filled("mm.soft_emb_norm.weight", 1f, width);
    weights.random("mm.input_projection.weight", TinyGemma3.SHAPE.embedding(), width);
    return gguf.write(dir, fileName);
  }

  private static void layerNorm(Weights weights, String name, int width) {
    weights.filled(name + ".weight", 1f, width);
    weights.filled(name + ".bias", 0f, width);
  }

  private static void linear(Weights weights, String name, int inputs, int outputs) {
    weights.random(name + ".weight", inputs, outputs);
    weights.filled(name + ".bias", 0f, outputs);
  }
}
