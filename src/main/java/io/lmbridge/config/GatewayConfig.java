package io.lmbridge.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The effective configuration: immutable, replaced whole on reload. Verticles read the current one
 * from {@link LiveConfig} per request, which is how a reload reaches them without a restart.
 */
public record GatewayConfig(
    ServerConfig server,
    Map<String, ProviderConfig> providers,
    Map<String, String> aliases,
    String defaultProvider,
    TimeoutConfig timeouts,
    RetryConfig retries,
    ClusterConfig cluster,
    String logLevel,
    CacheConfig cache,
    RequestLogConfig requestLog,
    LlamaConfig llama,
    String sqliteDbPath,
    ImagesConfig images,
    RealtimeConfig realtime) {

  public GatewayConfig {
    // Sorted, so listings (status, models) are stable.
    providers = Collections.unmodifiableMap(new TreeMap<>(providers));
    aliases = Collections.unmodifiableMap(new TreeMap<>(aliases));
  }

  public Optional<ProviderConfig> provider(String name) {
    return Optional.ofNullable(providers.get(name));
  }

  /** Names of settings that differ from {@code running} but only take effect after a restart. */
  public List<String> restartRequiredComparedTo(GatewayConfig running) {
    List<String> changed = new ArrayList<>();
    if (!Objects.equals(server, running.server)) {
      changed.add("server");
    }
    if (!Objects.equals(cluster, running.cluster)) {
      changed.add("cluster");
    }
    if (!Objects.equals(sqliteDbPath, running.sqliteDbPath)) {
      changed.add("sqlite_db_path");
    }
    if (realtime.serverLimitsDifferFrom(running.realtime)) {
      changed.add("realtime");
    }
    return changed;
  }
}
