package io.lmbridge.ingress;

import io.lmbridge.bus.ModelListing;
import io.lmbridge.chat.ApiError;
import io.lmbridge.config.GatewayConfig;
import io.lmbridge.config.LiveConfig;
import io.lmbridge.config.ProviderConfig;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/models} and {@code GET /v1/models/{id}}: every routable key, in OpenAI's list shape.
 * Configured models are listed at once; providers that list their own (Ollama) are asked over the
 * bus, briefly, so that one that is down leaves the rest of the list as it was.
 */
public final class ModelsEndpoint {

  /** How long a provider may take to list its models before the list goes out without them. */
  private static final long LISTING_TIMEOUT_MILLIS = 2000;

  private final LiveConfig config;
  private final EventBus bus;
  private final long started = System.currentTimeMillis() / 1000;

  public ModelsEndpoint(LiveConfig config, EventBus bus) {
    this.config = config;
    this.bus = bus;
  }

  public void list(RoutingContext ctx) {
    models(config.get()).onSuccess(models -> {
      JsonArray data = new JsonArray();
      models.values().forEach(data::add);
      ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .end(new JsonObject().put("object", "list").put("data", data).toBuffer());
    }).onFailure(ctx::fail);
  }

  public void get(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    models(config.get()).onSuccess(models -> {
      JsonObject model = models.get(id);
      if (model == null) {
        ctx.fail(ApiError.notFound("The model '" + id + "' does not exist", "model", "model_not_found").exception());
        return;
      }
      ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(model.toBuffer());
    }).onFailure(ctx::fail);
  }

  /** Provider models as {@code provider:model} (configured, then listed by the provider), then aliases. */
  private Future<Map<String, JsonObject>> models(GatewayConfig config) {
    List<ProviderConfig> providers = List.copyOf(config.providers().values());
    List<Future<List<String>>> listed = new ArrayList<>();
    providers.forEach(provider -> listed.add(ModelListing.request(bus, provider.name(), LISTING_TIMEOUT_MILLIS)));
    return Future.join(listed).transform(done -> {
      Map<String, JsonObject> models = new LinkedHashMap<>();
      for (int i = 0; i < providers.size(); i++) {
        ProviderConfig provider = providers.get(i);
        List<String> names = new ArrayList<>(provider.models());
        names.addAll(listed.get(i).result());
        names.forEach(model -> {
          String key = provider.name() + ":" + model;
          models.put(key, model(key, provider.name()));
        });
      }
      config.aliases().forEach((alias, target) -> models.put(alias, model(alias, target)));
      return Future.succeededFuture(models);
    });
  }

  private JsonObject model(String id, String ownedBy) {
    return new JsonObject().put("id", id).put("object", "model").put("created", started).put("owned_by", ownedBy);
  }
}
