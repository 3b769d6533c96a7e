package io.lmbridge.config;

/**
 * A local model declared in the {@code llama.models} list; null fields take the {@code llama} defaults.
 *
 * @param name  the key's model part: {@code lmbridge:NAME}
 * @param path  the GGUF file, absolute or relative to the model directory
 * @param mmproj the vision projector, absolute or relative to the model directory; null to look for one
 *     beside the model ({@link io.lmbridge.local.ModelCatalog})
 */
public record LocalModelConfig(String name, String path, String mmproj, Integer contextSize, Integer slots,
                               Integer gpuLayers, Integer threads, String chatTemplate, boolean embedding) {
}
