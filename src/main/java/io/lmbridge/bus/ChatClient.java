package io.lmbridge.bus;

import io.lmbridge.chat.ApiError;
import io.lmbridge.chat.ChatEvent;
import io.lmbridge.chat.ChatRequest;
import io.lmbridge.chat.ChatResponse;
import io.lmbridge.chat.Ids;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The ingress side of the chat call contract ({@link CallHeaders}). One instance per ingress
 * verticle: it owns one inbox consumer, registered once, and routes stream messages to their
 * listeners by call id, so a streamed call costs no consumer registration (which is a cluster-wide
 * write when clustered).
 */
public final class ChatClient {

  private static final long IDLE_SWEEP_MILLIS = 1000;

  private final Vertx vertx;
  private final EventBus bus;
  private final String inbox;
  private final Map<String, OpenStream> streams = new HashMap<>();
  private MessageConsumer<EventBatch> consumer;
  private long sweeper;

  public ChatClient(Vertx vertx) {
    this.vertx = vertx;
    this.bus = vertx.eventBus();
    this.inbox = Addresses.inbox(UUID.randomUUID().toString());
  }

  /** Registers the inbox; calls may be made once this completes. Must run on the owner's context. */
  public Future<Void> start() {
    consumer = bus.consumer(inbox, this::onStreamMessage);
    sweeper = vertx.setPeriodic(IDLE_SWEEP_MILLIS, id -> failIdleStreams());
    return consumer.completion();
  }

  public Future<Void> stop() {
    vertx.cancelTimer(sweeper);
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  public Future<Completion> complete(String address, Call call, ChatRequest request) {
    DeliveryOptions options = call.options().addHeader(CallHeaders.ACTION, CallHeaders.COMPLETE);
    return bus.<ChatResponse>request(address, request, options)
        .recover(failure -> Future.failedFuture(BusFailures.toApiError(failure, call.target()).exception()))
        .map(reply -> new Completion(reply.body(), upstreamMillis(reply)));
  }

  /**
   * Starts a streamed call. The future completes once the upstream accepted the request, or fails
   * with the error to answer with; the listener then gets the events until {@link StreamListener#onEnd}.
   */
  public Future<Void> stream(String address, Call call, ChatRequest request, StreamListener listener) {
    streams.put(call.id(), new OpenStream(call, listener));
    DeliveryOptions options = call.options()
        .addHeader(CallHeaders.ACTION, CallHeaders.STREAM)
        .addHeader(CallHeaders.INBOX, inbox);
    return bus.request(address, request, options)
        .<Void>mapEmpty()
        .recover(failure -> {
          streams.remove(call.id());
          return Future.failedFuture(BusFailures.toApiError(failure, call.target()).exception());
        });
  }

  /** Stops listening to a call and tells whichever node runs it to stop. */
  public void cancel(String callId) {
    streams.remove(callId);
    bus.publish(Addresses.CANCEL, callId);
  }

  private void onStreamMessage(Message<EventBatch> message) {
    String callId = message.headers().get(CallHeaders.CALL_ID);
    OpenStream stream = streams.get(callId);
    if (stream == null) {
      return;
    }
    stream.lastActivity = System.nanoTime();
    boolean end = message.headers().contains(CallHeaders.END);
    if (end) {
      streams.remove(callId);
    }
    if (!message.body().events().isEmpty()) {
      stream.listener.onEvents(message.body().events());
    }
    if (end) {
      stream.listener.onEnd(upstreamMillis(message));
    }
  }

  private static Double upstreamMillis(Message<?> message) {
    String millis = message.headers().get(CallHeaders.UPSTREAM_MILLIS);
    return millis == null ? null : Double.valueOf(millis);
  }

  /** A provider that went silent (or whose node died) must not leave a client hanging. */
  private void failIdleStreams() {
    long now = System.nanoTime();
    List<OpenStream> idle = streams.values().stream()
        .filter(stream -> now - stream.lastActivity > stream.call.idleTimeout() * 1_000_000L)
        .toList();
    for (OpenStream stream : idle) {
      cancel(stream.call.id());
      stream.listener.onEvents(List.of(new ChatEvent.Failure(new ApiError(504, "server_error",
          stream.call.target() + " sent nothing for " + stream.call.idleTimeout() / 1000 + " s", null, "timeout",
          null))));
      stream.listener.onEnd(null);
    }
  }

  private static final class OpenStream {
    final Call call;
    final StreamListener listener;
    long lastActivity = System.nanoTime();

    OpenStream(Call call, StreamListener listener) {
      this.call = call;
      this.listener = listener;
    }
  }

  /** A completed call's answer, and how long the provider took when its adapter said. */
  public record Completion(ChatResponse response, Double upstreamMillis) {
  }

  /**
   * One call's identity and limits.
   *
   * @param target  what the caller is waiting for, named in timeout and no-handler errors
   * @param timeout     milliseconds to wait for the reply (the whole response, or stream acceptance)
   * @param idleTimeout milliseconds a started stream may stay silent
   */
  public record Call(String id, String requestId, String target, long timeout, long idleTimeout) {

    DeliveryOptions options() {
      return new DeliveryOptions()
          .setSendTimeout(timeout)
          .addHeader(CallHeaders.CALL_ID, id)
          .addHeader(CallHeaders.REQUEST_ID, requestId);
    }
  }
}
