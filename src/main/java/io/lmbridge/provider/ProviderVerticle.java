package io.lmbridge.provider;

import io.lmbridge.bus.Addresses;
import io.lmbridge.bus.BusFailures;
import io.lmbridge.bus.CallHeaders;
import io.lmbridge.chat.ApiError;
import io.lmbridge.chat.ChatRequest;
import io.lmbridge.chat.ChatResponse;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Serves the chat call contract of {@link CallHeaders} for one provider: takes calls, keeps the
 * in-flight ones cancellable, and turns outcomes into replies, events and bus failures. Subclasses
 * only translate to and from their provider's wire format.
 */
public abstract class ProviderVerticle extends VerticleBase {

  private static final System.Logger LOG = System.getLogger(ProviderVerticle.class.getName());

  private final String providerName;
  private final Map<String, CallContext> inFlight = new HashMap<>();

  protected ProviderVerticle(String providerName) {
    this.providerName = providerName;
  }

  /** A non-streamed call: the whole response, or a failure carrying an {@link ApiError}. */
  protected abstract Future<ChatResponse> complete(ChatRequest request, CallContext call);

  /**
   * A streamed call: the future completes when the upstream accepted the request (or fails with the
   * error to answer instead); the events then go to {@code sink}, which the adapter ends or fails.
   */
  protected abstract Future<Void> stream(ChatRequest request, EventSink sink, CallContext call);

  @Override
  public Future<?> start() {
    var calls = vertx.eventBus().<ChatRequest>consumer(Addresses.provider(providerName), this::onCall);
    var cancels = vertx.eventBus().<String>consumer(Addresses.CANCEL, message -> cancel(message.body()));
    return Future.all(calls.completion(), cancels.completion());
  }

  public String providerName() {
    return providerName;
  }

  private void onCall(Message<ChatRequest> message) {
    long started = System.nanoTime();
    String callId = message.headers().get(CallHeaders.CALL_ID);
    CallContext call = new CallContext(message.headers().get(CallHeaders.REQUEST_ID));
    ChatRequest request = message.body();
    inFlight.put(callId, call);
    if (CallHeaders.STREAM.equals(message.headers().get(CallHeaders.ACTION))) {
      String inbox = message.headers().get(CallHeaders.INBOX);
      EventSink sink = new BusEventSink(vertx.eventBus(), inbox, callId, () -> inFlight.remove(callId),
          started);
      invoke(() -> stream(request, sink, call)).onComplete(accepted -> {
        if (accepted.succeeded()) {
          message.reply(null);
        } else {
          inFlight.remove(callId);
          fail(message, call, accepted.cause());
        }
      });
    } else {
      invoke(() -> complete(request, call)).onComplete(done -> {
        inFlight.remove(callId);
        if (done.succeeded()) {
          message.reply(done.result(),
              new DeliveryOptions().addHeader(CallHeaders.UPSTREAM_MILLIS, millisSince(started)));
        } else {
          fail(message, call, done.cause());
        }
      });
    }
  }

  /** Answers with the error, and leaves a trace tied to the client's request id: 5xx are worth a warning. */
  private void fail(Message<?> message, CallContext call, Throwable failure) {
    ApiError error = BusFailures.toApiError(failure, providerName);
    LOG.log(error.status() >= 500 ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG,
        "request " + call.requestId() + " to provider '" + providerName + "' failed with " + error.status() + ": "
            + error.message());
    BusFailures.fail(message, error);
  }

  /** An adapter that throws instead of returning a failed future still answers the call. */
  private static <T> Future<T> invoke(Supplier<Future<T>> action) {
    try {
      return action.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private void cancel(String callId) {
    CallContext call = inFlight.remove(callId);
    if (call != null) {
      call.cancel();
    }
  }

  static String millisSince(long startedNanos) {
    return Double.toString((System.nanoTime() - startedNanos) / 1e6);
  }

  /** The error every adapter gives when its provider has no credentials configured. */
  protected static ApiError missingKey(String provider, String keyVariable) {
    return new ApiError(401, "authentication_error",
        "provider '" + provider + "' has no API key: set " + keyVariable
            + " (environment or env file) or providers." + provider + ".api_key in the JSON config",
        null, "missing_api_key", null);
  }
}
