package io.lmbridge.local.runner;

import io.lmbridge.chat.ChatEvent;
import io.lmbridge.provider.EventSink;
import io.vertx.core.Context;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Hands events from a generation's worker thread to the event loop that owns the sink. Tokens that
 * arrive while the event loop is still sending the last ones go out together in one bus message:
 * a slow model sends a message per token, as before, and a fast one does not pay a message per
 * token. Nothing waits on a timer, so no token is ever held back.
 */
final class CoalescingSink {

  private final Context context;
  private final EventSink sink;
  private final ConcurrentLinkedQueue<ChatEvent> pending = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  CoalescingSink(Context context, EventSink sink) {
    this.context = context;
    this.sink = sink;
  }

  /** From the worker thread. */
  void add(List<ChatEvent> events) {
    pending.addAll(events);
    if (scheduled.compareAndSet(false, true)) {
      context.runOnContext(v -> drain());
    }
  }

  /** On the event loop; a failure among the events ends the stream there. */
  private void drain() {
    scheduled.set(false);
    List<ChatEvent> batch = new ArrayList<>();
    for (ChatEvent event = pending.poll(); event != null; event = pending.poll()) {
      if (event instanceof ChatEvent.Failure failure) {
        sink.emit(batch);
        sink.fail(failure.error());
        return;
      }
      batch.add(event);
    }
    if (!batch.isEmpty()) {
      sink.emit(batch);
    }
  }
}
