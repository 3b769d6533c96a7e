package io.lmbridge.service;

import io.lmbridge.bus.Addresses;
import io.lmbridge.bus.ServiceActions;
import io.lmbridge.chat.JsonFields;
import io.lmbridge.config.LiveConfig;
import io.lmbridge.ingress.JsonBodies;
import io.lmbridge.local.LocalModelsOff;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.concurrent.TimeUnit;

/**
 * {@code GET /v1/llama/models}, {@code POST /v1/llama/models/load} and {@code POST /v1/llama/models/unload}:
 * this node's local models and their runners. A model is named as {@code NAME} or {@code lmbridge:NAME}.
 */
public final class LocalModelsEndpoint {

  private final EventBus bus;
  private final LiveConfig config;

  public LocalModelsEndpoint(EventBus bus, LiveConfig config) {
    this.bus = bus;
    this.config = config;
  }

  /** With local models off (or no model directory), the list is empty rather than an error. */
  public void list(RoutingContext ctx) {
    ask(ServiceActions.LIST, new JsonObject())
        .recover(failure -> failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS
            ? Future.succeededFuture(new JsonObject().put("models", new JsonArray()))
            : Future.failedFuture(failure))
        .onComplete(done -> answer(ctx, done));
  }

  /** Body {@code {"model", "gpu_layers"}}; answers once the model is loaded (a reload when the offload differs). */
  public void load(RoutingContext ctx) {
    JsonFields body = JsonFields.of(JsonBodies.object(ctx));
    JsonObject request = new JsonObject().put("model", name(body.requiredString("model")))
        .put("gpu_layers", body.smallInteger("gpu_layers", -1));
    ask(ServiceActions.LOAD, request).onComplete(done -> answer(ctx, done));
  }

  /** Body {@code {"model"}}; answers once the runner has exited and its memory is back. */
  public void unload(RoutingContext ctx) {
    JsonFields body = JsonFields.of(JsonBodies.object(ctx));
    ask(ServiceActions.UNLOAD, new JsonObject().put("model", name(body.requiredString("model"))))
        .onComplete(done -> answer(ctx, done));
  }

  private Future<JsonObject> ask(String action, JsonObject body) {
    long timeout = TimeUnit.SECONDS.toMillis(config.get().timeouts().requestSeconds());
    return bus.<JsonObject>request(Addresses.LOCAL_MODELS, body,
        new DeliveryOptions().addHeader(ServiceActions.ACTION, action).setSendTimeout(timeout)).map(Message::body);
  }

  private static String name(String model) {
    return model.substring(model.indexOf(':') + 1);
  }

  private void answer(RoutingContext ctx, AsyncResult<JsonObject> done) {
    if (done.succeeded()) {
      ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(done.result().toBuffer());
    } else {
      ctx.fail(LocalModelsOff.toApiError(done.cause(), config.get().llama()).exception());
    }
  }
}
