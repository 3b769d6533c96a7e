package io.lmbridge.local.runner;

import io.lmbridge.chat.ApiError;
import io.lmbridge.chat.ChatEvent;
import io.lmbridge.provider.EventSink;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Tokens from a worker thread reach the sink on the event loop, grouped per interval, in order, and before the end. */
class CoalescingSinkTest {

  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @Test
  void tokensFasterThanTheIntervalGoOutTogetherAndAllBeforeTheEnd() throws Exception {
    Recording sink = new Recording();
    Context loop = vertx.getOrCreateContext();
    CoalescingSink events = new CoalescingSink(loop, sink, 1000);

    // A token every 2 ms, as a model of 500 tokens per second writes them.
    for (int i = 0; i < 50; i++) {
      events.add(List.of(new ChatEvent.TextDelta(0, "t" + i + " ")));
      Thread.sleep(2);
    }
    loop.runOnContext(v -> events.end(null));

    assertThat(sink.ended.future().await(5, TimeUnit.SECONDS)).isEqualTo("end");
    // The first token goes at once; the rest wait for the interval, or here for the end.
    assertThat(sink.batches.size()).isBetween(2, 3);
    assertThat(sink.text()).isEqualTo(expected(50));
  }

  @Test
  void withoutAnIntervalEachTokenGoesOutWithoutWaitingForTheEnd() throws Exception {
    Recording sink = new Recording();
    Context loop = vertx.getOrCreateContext();
    CoalescingSink events = new CoalescingSink(loop, sink, 0);

    events.add(List.of(new ChatEvent.TextDelta(0, "t0 ")));
    vertx.setTimer(1, id -> events.add(List.of(new ChatEvent.TextDelta(0, "t1 "))));

    // No end: both tokens must arrive on their own, each as soon as it is added.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (sink.size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(sink.text()).isEqualTo(expected(2));
  }

  @Test
  void aFailureAmongTheEventsEndsTheStreamAfterWhatCameBeforeIt() throws Exception {
    Recording sink = new Recording();
    Context loop = vertx.getOrCreateContext();
    CoalescingSink events = new CoalescingSink(loop, sink, 200);

    events.add(List.of(new ChatEvent.TextDelta(0, "t0 ")));
    events.add(List.of(new ChatEvent.TextDelta(0, "t1 ")));
    events.add(List.of(new ChatEvent.Failure(ApiError.internal("the runner broke"))));
    loop.runOnContext(v -> events.end(null));

    assertThat(sink.ended.future().await(5, TimeUnit.SECONDS)).isEqualTo("fail: the runner broke");
    assertThat(sink.text()).isEqualTo(expected(2));
  }

  private static String expected(int tokens) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < tokens; i++) {
      text.append("t").append(i).append(' ');
    }
    return text.toString();
  }

  /** Records what reaches the sink; only the event loop calls it. */
  private static final class Recording implements EventSink {

    final List<List<ChatEvent>> batches = new ArrayList<>();
    final Promise<String> ended = Promise.promise();

    @Override
    public synchronized void emit(List<ChatEvent> events) {
      if (!events.isEmpty()) {
        batches.add(List.copyOf(events));
      }
    }

    @Override
    public void end() {
      ended.tryComplete("end");
    }

    @Override
    public void fail(ApiError error) {
      ended.tryComplete("fail: " + error.message());
    }

    synchronized int size() {
      return batches.stream().mapToInt(List::size).sum();
    }

    synchronized String text() {
      StringBuilder text = new StringBuilder();
      batches.forEach(batch -> batch.forEach(event -> text.append(((ChatEvent.TextDelta) event).text())));
      return text.toString();
    }
  }
}
