package io.lmbridge.config;

import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where configuration comes from, in the order later-wins: built-in defaults, the JSON file, the env
 * file, the process environment, then command-line overrides.
 *
 * @param jsonFile    the JSON file; it may appear later and is then picked up by the watcher
 * @param envFiles    candidate env files, the first existing one is used
 * @param required    files named explicitly on the command line, which must exist at start
 * @param overrides   command-line settings in the JSON file's shape
 */
public record ConfigSources(Path jsonFile, List<Path> envFiles, List<Path> required,
                            Map<String, String> environment, JsonObject overrides) {

  public static final Path DEFAULT_JSON = Path.of("conf", "gateway.json");
  public static final List<Path> DEFAULT_ENV_FILES = List.of(Path.of("conf", "lmbridge.env"), Path.of("conf", "gateway.env"));

  public ConfigSources {
    envFiles = List.copyOf(envFiles);
    required = List.copyOf(required);
    environment = Map.copyOf(environment);
  }

  public Optional<Path> envFile() {
    return envFiles.stream().filter(Files::isRegularFile).findFirst();
  }

  /** Every file whose change should trigger a reload, present or not. */
  public List<Path> watched() {
    return java.util.stream.Stream.concat(java.util.stream.Stream.of(jsonFile), envFiles.stream()).toList();
  }
}
