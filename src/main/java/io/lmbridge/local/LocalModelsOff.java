package io.lmbridge.local;

import io.lmbridge.bus.BusFailures;
import io.lmbridge.chat.ApiError;
import io.lmbridge.config.LlamaConfig;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * The answer to a call for the local model manager on a node that runs none. Each node asks its
 * own manager, which a node starts only when its settings give it models to serve, so nobody
 * answering is no passing outage: the client hears what to set instead.
 */
public final class LocalModelsOff {

  private LocalModelsOff() {
  }

  /** {@code failure} of a call to the local model manager, as the client's error. */
  public static ApiError toApiError(Throwable failure, LlamaConfig llama) {
    if (failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS) {
      String why = llama.whyNotServed();
      return ApiError.notFound("this gateway serves no local models: " + (why != null ? why
          : "they start with the gateway, so restart it to serve the models now in '" + llama.modelDir() + "'"),
          "model", "local_models_off");
    }
    return BusFailures.toApiError(failure, "the local model manager");
  }
}
