package io.lmbridge.ingress;

import io.lmbridge.chat.ApiError;
import io.lmbridge.config.GatewayConfig;
import io.lmbridge.config.LiveConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /v1/models} and {@code GET /v1/models/{id}}: every routable key, in OpenAI's list shape. */
public final class ModelsEndpoint {

  private final LiveConfig config;
  private final long started = System.currentTimeMillis() / 1000;

  public ModelsEndpoint(LiveConfig config) {
    this.config = config;
  }

  public void list(RoutingContext ctx) {
    JsonArray data = new JsonArray();
    models(config.get()).values().forEach(data::add);
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("object", "list").put("data", data).toBuffer());
  }

  public void get(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    JsonObject model = models(config.get()).get(id);
    if (model == null) {
      throw ApiError.notFound("The model '" + id + "' does not exist", "model", "model_not_found").exception();
    }
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(model.toBuffer());
  }

  /** Provider models as {@code provider:model}, then aliases, owned by what they point to. */
  private Map<String, JsonObject> models(GatewayConfig config) {
    Map<String, JsonObject> models = new LinkedHashMap<>();
    config.providers().values().forEach(provider -> provider.models().forEach(model -> {
      String key = provider.name() + ":" + model;
      models.put(key, model(key, provider.name()));
    }));
    config.aliases().forEach((alias, target) -> models.put(alias, model(alias, target)));
    return models;
  }

  private JsonObject model(String id, String ownedBy) {
    return new JsonObject().put("id", id).put("object", "model").put("created", started).put("owned_by", ownedBy);
  }
}
