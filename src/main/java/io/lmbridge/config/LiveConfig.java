package io.lmbridge.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * The configuration a node runs with now, and how it got there. Shared by the node's verticles:
 * they read {@link #get()} per request, so a reload applies to the next request and never to one
 * already in flight.
 */
public final class LiveConfig {

  private final ConfigSources sources;
  private final GatewayConfig started;
  private final List<BiConsumer<GatewayConfig, GatewayConfig>> listeners = new CopyOnWriteArrayList<>();
  private volatile State state;

  public LiveConfig(ConfigSources sources, GatewayConfig initial) {
    this.sources = sources;
    this.started = initial;
    this.state = new State(initial, Instant.now(), null, null, List.of());
  }

  public GatewayConfig get() {
    return state.config;
  }

  public ConfigSources sources() {
    return sources;
  }

  /** Called with (previous, current) after each successful reload that changed something. */
  public void onChange(BiConsumer<GatewayConfig, GatewayConfig> listener) {
    listeners.add(listener);
  }

  /**
   * Installs a freshly loaded config and clears the last error.
   *
   * @return the settings that differ from what the node started with but need a restart to apply,
   *     or empty when nothing changed at all
   */
  synchronized Optional<List<String>> reloaded(GatewayConfig next) {
    GatewayConfig previous = state.config;
    if (next.equals(previous)) {
      state = new State(previous, state.loadedAt, null, null, state.restartRequired);
      return Optional.empty();
    }
    List<String> restart = next.restartRequiredComparedTo(started);
    state = new State(next, Instant.now(), null, null, restart);
    listeners.forEach(listener -> listener.accept(previous, next));
    return Optional.of(restart);
  }

  synchronized void failed(String error) {
    state = new State(state.config, state.loadedAt, error, Instant.now(), state.restartRequired);
  }

  /** For the service status: files, last reload, last error; never a secret. */
  public JsonObject describe() {
    State now = state;
    return new JsonObject()
        .put("sources", new JsonArray(sources.watched().stream().map(path -> new JsonObject()
            .put("path", path.toString())
            .put("present", java.nio.file.Files.isRegularFile(path))).toList()))
        .put("last_reload", now.loadedAt.toString())
        .put("last_error", now.error)
        .put("last_error_at", now.errorAt == null ? null : now.errorAt.toString())
        .put("restart_required", new JsonArray(now.restartRequired));
  }

  private record State(GatewayConfig config, Instant loadedAt, String error, Instant errorAt,
                       List<String> restartRequired) {
  }
}
