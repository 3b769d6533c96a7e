package io.lmbridge.config;

/** Defaults for local GGUF models, from the {@code LLAMA_*} variables or the {@code llama} section. */
public record LlamaConfig(String modelDir, int gpuLayers, int threads, int topK, double topP,
                          String structuredMode, String structuredPlan) {
}
