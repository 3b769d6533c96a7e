package io.lmbridge.local;

import io.lmbridge.chat.ApiError;
import io.lmbridge.config.LlamaConfig;
import io.lmbridge.config.LocalModelConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The local models there are: every {@code *.gguf} in the model directory (read again on each look,
 * so new files appear without a restart) and the models the config declares, which win on a name
 * clash. A vision projector in the directory belongs to the model whose name it has once
 * {@code mmproj} is taken out of it ({@code Gemma-3-4b-it-mmproj-q4_0.gguf} to
 * {@code Gemma-3-4b-it-q4_0.gguf}); a declared model may name its own. Clients name models, never paths.
 */
public final class ModelCatalog {

  /**
   * @param mmproj   its vision projector, or null
   * @param declared the config's entry for it, or null for a file found in the directory
   */
  public record LocalModel(String name, Path path, Path mmproj, LocalModelConfig declared) {
  }

  private ModelCatalog() {
  }

  public static Map<String, LocalModel> scan(LlamaConfig config) {
    Map<String, LocalModel> models = new TreeMap<>();
    Map<String, Path> projectors = new HashMap<>();
    Path dir = Path.of(config.modelDir());
    if (Files.isDirectory(dir)) {
      List<Path> files;
      try (Stream<Path> listed = Files.list(dir)) {
        files = listed.filter(Files::isRegularFile).map(Path::toAbsolutePath).sorted().toList();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + dir, e);
      }
      files.forEach(file -> ModelKeys.projectorOf(file.getFileName().toString())
          .ifPresent(name -> projectors.putIfAbsent(name, file)));
      files.forEach(file -> ModelKeys.nameOf(file.getFileName().toString()).ifPresent(name ->
          models.putIfAbsent(name, new LocalModel(name, file, projectors.get(name), null))));
    }
    for (LocalModelConfig declared : config.models()) {
      Path mmproj = declared.mmproj() != null ? dir.resolve(declared.mmproj()).toAbsolutePath()
          : projectors.get(declared.name());
      models.put(declared.name(), new LocalModel(declared.name(), dir.resolve(declared.path()).toAbsolutePath(),
          mmproj, declared));
    }
    return models;
  }

  /** The model a client named; a name that could be a path is refused before anything is looked up. */
  public static LocalModel find(LlamaConfig config, String name, String param) {
    if (name == null || !ModelKeys.VALID_NAME.matcher(name).matches()) {
      throw ApiError.invalidRequest("'" + name + "' is not a local model name: use a name from GET /v1/llama/models"
          + " (lowercase letters, digits, '.', '_' and '-'; never a path)", param).exception();
    }
    LocalModel model = scan(config).get(name);
    if (model == null) {
      throw ApiError.notFound("no local model '" + name + "': put " + name + ".gguf in " + config.modelDir()
          + " (LLAMA_MODEL_DIR) or declare it under llama.models", param, "model_not_found").exception();
    }
    return model;
  }
}
