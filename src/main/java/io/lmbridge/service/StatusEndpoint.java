package io.lmbridge.service;

import io.lmbridge.bus.Addresses;
import io.lmbridge.bus.ServiceActions;
import io.lmbridge.config.GatewayConfig;
import io.lmbridge.config.LiveConfig;
import io.lmbridge.node.NodeInfo;
import io.lmbridge.node.Role;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.time.Instant;

/**
 * {@code GET /v1/service/status}: how this node, its cache, its request log and its configuration are
 * doing. Never shows a secret. A part that does not answer shows as an error, not as a failed status.
 */
public final class StatusEndpoint {

  private static final long PART_TIMEOUT_MILLIS = 2000;

  private final EventBus bus;
  private final LiveConfig config;
  private final NodeInfo node;

  public StatusEndpoint(EventBus bus, LiveConfig config, NodeInfo node) {
    this.bus = bus;
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
        .put("in_flight", node.inFlight().size())
        .put("providers", providers)
        .put("aliases", new JsonObject(new java.util.LinkedHashMap<>(current.aliases())))
        .put("default_provider", current.defaultProvider())
        .put("config", config.describe().put("log_level", current.logLevel()))
        .put("cluster", new JsonObject()
            .put("enabled", node.clustered())
            .put("name", node.clustered() ? current.cluster().name() : null)
            .put("members", new JsonArray(node.members().get())));
    Future<JsonObject> cache = part(Addresses.CACHE, ServiceActions.STATS);
    Future<JsonObject> requestLog = part(Addresses.REQUEST_LOG_QUERY, ServiceActions.STATS);
    Future<JsonObject> localModels = part(Addresses.LOCAL_MODELS, ServiceActions.LIST);
    Future.join(cache, requestLog, localModels).onComplete(parts -> {
      status.put("models", loaded(localModels.result()))
          .put("gpus", localModels.result().getJsonArray("gpus", new JsonArray()))
          .put("cache", cache.result())
          .put("request_log", requestLog.result());
      ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(status.toBuffer());
    });
  }

  /** The local models that are loaded, as the manager lists them; none when local models are off. */
  private static JsonArray loaded(JsonObject list) {
    JsonArray loaded = new JsonArray();
    list.getJsonArray("models", new JsonArray()).stream().map(JsonObject.class::cast)
        .filter(model -> model.getBoolean("loaded", false)).forEach(loaded::add);
    return loaded;
  }

  private Future<JsonObject> part(String address, String action) {
    return bus.<JsonObject>request(address, null, new DeliveryOptions()
            .addHeader(ServiceActions.ACTION, action).setSendTimeout(PART_TIMEOUT_MILLIS))
        .map(Message::body)
        .otherwise(failure -> new JsonObject().put("error", failure.getMessage()));
  }
}
