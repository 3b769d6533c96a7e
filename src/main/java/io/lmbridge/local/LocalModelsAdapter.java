package io.lmbridge.local;

import io.lmbridge.bus.Addresses;
import io.lmbridge.bus.BusFailures;
import io.lmbridge.bus.ChatClient;
import io.lmbridge.bus.ModelListing;
import io.lmbridge.bus.ServiceActions;
import io.lmbridge.bus.StreamListener;
import io.lmbridge.chat.ApiError;
import io.lmbridge.chat.ChatEvent;
import io.lmbridge.chat.ChatRequest;
import io.lmbridge.chat.ChatResponse;
import io.lmbridge.chat.Ids;
import io.lmbridge.config.LiveConfig;
import io.lmbridge.config.TimeoutConfig;
import io.lmbridge.provider.CallContext;
import io.lmbridge.provider.EventSink;
import io.lmbridge.provider.ImageFetcher;
import io.lmbridge.provider.ProviderVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The adapter of the local provider ({@code lmbridge:NAME}): asks this node's
 * {@link LocalModelsVerticle} for the model's runner, then calls the runner over the event bus with
 * the same contract the ingress uses with providers. When a runner goes away, the calls it was
 * serving fail at once with the reason, instead of waiting for a timeout.
 */
public final class LocalModelsAdapter extends ProviderVerticle {

  private final LiveConfig config;
  private final Map<String, Map<String, Consumer<ApiError>>> callsByRunner = new HashMap<>();
  private ChatClient client;
  private ImageFetcher images;

  public LocalModelsAdapter(String providerName, LiveConfig config) {
    super(providerName);
    this.config = config;
  }

  @Override
  public Future<?> start() {
    client = new ChatClient(vertx);
    images = new ImageFetcher(vertx, vertx.createHttpClient());
    var gone = vertx.eventBus().<JsonObject>localConsumer(Addresses.RUNNER_GONE, message -> runnerGone(
        message.body().getString("runner_id"), message.body().getString("reason")));
    var listing = vertx.eventBus().localConsumer(Addresses.models(providerName()), this::listModels);
    var embeddings = vertx.eventBus().<JsonObject>localConsumer(Addresses.embeddings(providerName()), this::embed);
    return Future.all(List.of(client.start(), gone.completion(), listing.completion(), embeddings.completion()))
        .compose(v -> super.start());
  }

  @Override
  public Future<?> stop() {
    return client.stop();
  }

  @Override
  protected Future<ChatResponse> complete(ChatRequest asked, CallContext call) {
    return withImagesInline(asked).compose(request -> acquire(request.model()).compose(runnerId -> {
      ChatClient.Call runnerCall = runnerCall(call);
      Promise<ChatResponse> answer = Promise.promise();
      track(runnerId, runnerCall.id(), error -> answer.tryFail(error.exception()));
      call.onCancel(() -> client.cancel(runnerCall.id()));
      client.complete(Addresses.runner(runnerId), runnerCall, request).onComplete(done -> {
        untrack(runnerId, runnerCall.id());
        if (done.succeeded()) {
          answer.tryComplete(done.result().response());
        } else {
          answer.tryFail(done.cause());
        }
      });
      return answer.future();
    }));
  }

  @Override
  protected Future<Void> stream(ChatRequest asked, EventSink sink, CallContext call) {
    return withImagesInline(asked).compose(request -> acquire(request.model()).compose(runnerId -> {
      ChatClient.Call runnerCall = runnerCall(call);
      track(runnerId, runnerCall.id(), error -> {
        client.cancel(runnerCall.id());
        sink.fail(error);
      });
      call.onCancel(() -> client.cancel(runnerCall.id()));
      return client.stream(Addresses.runner(runnerId), runnerCall, request, new StreamListener() {
        @Override
        public void onEvents(List<ChatEvent> events) {
          sink.emit(events);
        }

        @Override
        public void onEnd(Double upstreamMillis) {
          untrack(runnerId, runnerCall.id());
          sink.end();
        }
      }).onFailure(refused -> untrack(runnerId, runnerCall.id()));
    }));
  }

  /** Runners reach nothing on the network: image URLs are fetched here, by the gateway's guarded fetcher. */
  private Future<ChatRequest> withImagesInline(ChatRequest request) {
    return images.inline(request, config.get().images()).map(inline -> inline.applyTo(request));
  }

  /** The runner serving the model, loading it first if need be (which the request's timeout covers). */
  private Future<String> acquire(String model) {
    long timeout = TimeUnit.SECONDS.toMillis(config.get().timeouts().requestSeconds());
    return vertx.eventBus().<JsonObject>request(Addresses.LOCAL_MODELS, new JsonObject().put("model", model),
            new DeliveryOptions().addHeader(ServiceActions.ACTION, ServiceActions.ACQUIRE).setSendTimeout(timeout))
        .map(reply -> reply.body().getString("runner_id"))
        .recover(failure -> Future.failedFuture(LocalModelsOff.toApiError(failure, config.get().llama()).exception()));
  }

  private ChatClient.Call runnerCall(CallContext call) {
    TimeoutConfig timeouts = config.get().timeouts();
    return new ChatClient.Call(Ids.next(), call.requestId(), "the local model's runner",
        TimeUnit.SECONDS.toMillis(timeouts.requestSeconds()), TimeUnit.SECONDS.toMillis(timeouts.streamIdleSeconds()));
  }

  private void track(String runnerId, String callId, Consumer<ApiError> fail) {
    callsByRunner.computeIfAbsent(runnerId, id -> new HashMap<>()).put(callId, fail);
  }

  private void untrack(String runnerId, String callId) {
    Map<String, Consumer<ApiError>> calls = callsByRunner.get(runnerId);
    if (calls != null && calls.remove(callId) != null && calls.isEmpty()) {
      callsByRunner.remove(runnerId);
    }
  }

  private void runnerGone(String runnerId, String reason) {
    Map<String, Consumer<ApiError>> calls = callsByRunner.remove(runnerId);
    if (calls != null) {
      ApiError error = new ApiError(503, "server_error", reason, null, "model_unavailable", null);
      calls.values().forEach(fail -> fail.accept(error));
    }
  }

  /** Embeddings go straight to the model's runner, which serves them only when loaded with embeddings on. */
  private void embed(Message<JsonObject> message) {
    String model = message.body().getString("model");
    acquire(model)
        .compose(runnerId -> vertx.eventBus().<JsonObject>request(Addresses.embeddings(Addresses.runnerName(runnerId)),
            message.body(), new DeliveryOptions().setSendTimeout(
                TimeUnit.SECONDS.toMillis(config.get().timeouts().requestSeconds()))))
        .onComplete(done -> {
          if (done.succeeded()) {
            message.reply(done.result().body());
          } else if (done.cause() instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS) {
            BusFailures.fail(message, ApiError.invalidRequest("local model '" + model + "' is not loaded for"
                + " embeddings: declare it under llama.models with \"embedding\": true", "model"));
          } else {
            BusFailures.fail(message, BusFailures.toApiError(done.cause(), "the local model"));
          }
        });
  }

  private void listModels(Message<Object> request) {
    ModelListing.reply(request, List.copyOf(ModelCatalog.scan(config.get().llama()).keySet()));
  }
}
