package io.lmbridge.service;

import io.lmbridge.config.GatewayConfig;
import io.lmbridge.config.LiveConfig;
import io.lmbridge.node.NodeInfo;
import io.lmbridge.node.Role;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.time.Instant;

/** {@code GET /v1/service/status}: how this node and its configuration are doing. Never shows a secret. */
public final class StatusEndpoint {

  private final LiveConfig config;
  private final NodeInfo node;

  public StatusEndpoint(LiveConfig config, NodeInfo node) {
    this.config = config;
    this.node = node;
  }

  public void handle(RoutingContext ctx) {
    GatewayConfig current = config.get();
    JsonArray providers = new JsonArray();
    current.providers().values().forEach(provider -> providers.add(new JsonObject()
        .put("name", provider.name())
        .put("type", provider.type().configName())
        .put("base_url", provider.baseUrl())
        .put("api_key_configured", provider.hasKey())
        .put("api_key_variable", provider.apiKeyVariable())
        .put("models", provider.models().size())));
    JsonObject status = new JsonObject()
        .put("status", "ok")
        .put("version", node.version())
        .put("uptime_seconds", Duration.between(node.startedAt(), Instant.now()).toSeconds())
        .put("node", new JsonObject()
            .put("id", node.nodeId())
            .put("roles", new JsonArray(node.roles().stream().map(Role::configName).toList())))
        .put("in_flight", node.inFlight().get())
        .put("providers", providers)
        .put("aliases", new JsonObject(new java.util.LinkedHashMap<>(current.aliases())))
        .put("default_provider", current.defaultProvider())
        .put("config", config.describe().put("log_level", current.logLevel()))
        .put("cluster", new JsonObject()
            .put("enabled", node.clustered())
            .put("name", node.clustered() ? current.cluster().name() : null)
            .put("members", new JsonArray(node.members().get())));
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(status.toBuffer());
  }
}
