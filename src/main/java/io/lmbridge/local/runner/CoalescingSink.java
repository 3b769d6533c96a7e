package io.lmbridge.local.runner;

import io.lmbridge.chat.ApiError;
import io.lmbridge.chat.ChatEvent;
import io.lmbridge.provider.EventSink;
import io.vertx.core.Context;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Hands events from a generation's worker thread to the event loop that owns the sink, at most one
 * bus message per interval. The first tokens go at once; tokens that come faster than the interval
 * go out together when it has passed. A model slower than one token per interval sends a message per
 * token, as it would without one; a fast model stops paying a message, a gateway write and a client
 * read per token, which on shared cores slow the decoding itself.
 */
final class CoalescingSink {

  private final Context context;
  private final EventSink sink;
  private final long intervalNanos;
  private final ConcurrentLinkedQueue<ChatEvent> pending = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  /** Event loop only. */
  private long lastSent = Long.MIN_VALUE / 2;
  private boolean ended;

  CoalescingSink(Context context, EventSink sink, long intervalMillis) {
    this.context = context;
    this.sink = sink;
    this.intervalNanos = intervalMillis * 1_000_000L;
  }

  /** From the worker thread. */
  void add(List<ChatEvent> events) {
    pending.addAll(events);
    if (scheduled.compareAndSet(false, true)) {
      context.runOnContext(v -> send());
    }
  }

  /** On the event loop, once the generation is over: what is pending goes now, then the end or the failure. */
  void end(ApiError failure) {
    drain();
    if (!ended) {
      ended = true;
      if (failure == null) {
        sink.end();
      } else {
        sink.fail(failure);
      }
    }
  }

  private void send() {
    if (ended) {
      return;
    }
    long wait = lastSent + intervalNanos - System.nanoTime();
    if (wait > 0) {
      context.owner().setTimer(Math.max(1, (wait + 999_999) / 1_000_000), id -> send());
    } else {
      drain();
    }
  }

  /** A failure among the events ends the stream there. */
  private void drain() {
    scheduled.set(false);
    lastSent = System.nanoTime();
    List<ChatEvent> batch = new ArrayList<>();
    for (ChatEvent event = pending.poll(); event != null; event = pending.poll()) {
      if (event instanceof ChatEvent.Failure failure) {
        sink.emit(batch);
        sink.fail(failure.error());
        ended = true;
        return;
      }
      batch.add(event);
    }
    if (!batch.isEmpty()) {
      sink.emit(batch);
    }
  }
}
