package io.lmbridge.bus;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The "list models" contract, between {@code ingress.ModelsEndpoint} and a provider adapter that
 * can ask its upstream which models it serves (Ollama's {@code /api/tags}).
 *
 * <p>A request to {@link Addresses#models} with an empty body; the reply is a {@code JsonObject}
 * {@code {"models": ["name", ...]}} of the provider's own model names. Providers that list only
 * their configured models register no handler: the ingress lists those from config, and treats no
 * handler, a timeout or a failure alike, as "nothing more to list".
 */
public final class ModelListing {

  private static final String MODELS = "models";

  private ModelListing() {
  }

  /** The provider's models, or an empty list if it did not answer within {@code timeoutMillis}. */
  public static Future<List<String>> request(EventBus bus, String provider, long timeoutMillis) {
    return bus.<JsonObject>request(Addresses.models(provider), null, new DeliveryOptions().setSendTimeout(timeoutMillis))
        .map(reply -> reply.body().getJsonArray(MODELS, new JsonArray()).stream()
            .filter(String.class::isInstance).map(String.class::cast).toList())
        .otherwise(List.of());
  }

  public static void reply(Message<?> request, List<String> models) {
    request.reply(new JsonObject().put(MODELS, new JsonArray(models)));
  }
}
