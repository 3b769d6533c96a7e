package io.lmbridge.provider;

import io.lmbridge.bus.EventBatch;
import io.lmbridge.bus.CallHeaders;
import io.lmbridge.chat.ApiError;
import io.lmbridge.chat.ChatEvent;
import io.lmbridge.chat.ChatEventMerger;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;

import java.util.List;

/**
 * Sends a call's events to the inbox of the ingress that asked for them. Adjacent deltas of a batch
 * are joined first ({@link ChatEventMerger}), so a fast stream crosses the bus, and reaches every
 * client dialect, as fewer and larger deltas.
 */
final class BusEventSink implements EventSink {

  private final EventBus bus;
  private final String inbox;
  private final String callId;
  private final Runnable onClose;
  private final long startedNanos;
  private boolean closed;

  /** @param startedNanos when the call arrived, to tell the ingress how long the provider took */
  BusEventSink(EventBus bus, String inbox, String callId, Runnable onClose, long startedNanos) {
    this.bus = bus;
    this.inbox = inbox;
    this.callId = callId;
    this.onClose = onClose;
    this.startedNanos = startedNanos;
  }

  @Override
  public void emit(List<ChatEvent> events) {
    if (!closed && !events.isEmpty()) {
      bus.send(inbox, new EventBatch(ChatEventMerger.merge(events)), headers());
    }
  }

  @Override
  public void end() {
    close(List.of());
  }

  @Override
  public void fail(ApiError error) {
    close(List.of(new ChatEvent.Failure(error)));
  }

  private void close(List<ChatEvent> last) {
    if (closed) {
      return;
    }
    closed = true;
    bus.send(inbox, new EventBatch(last), headers().addHeader(CallHeaders.END, "true")
        .addHeader(CallHeaders.UPSTREAM_MILLIS, ProviderVerticle.millisSince(startedNanos)));
    onClose.run();
  }

  private DeliveryOptions headers() {
    return new DeliveryOptions().addHeader(CallHeaders.CALL_ID, callId);
  }
}
