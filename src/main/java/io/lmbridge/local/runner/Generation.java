package io.lmbridge.local.runner;

import io.lmbridge.chat.ChatEvent;
import io.lmbridge.chat.ChatResponse;
import io.lmbridge.chat.ChatResponseAccumulator;

import java.util.List;
import java.util.function.Consumer;

/**
 * One chat request on a loaded model, from {@link Engine#prepare}: begun, then run, on one thread;
 * those calls block. It can be cancelled from any thread from the moment it exists.
 */
public interface Generation {

  /**
   * Blocks until the engine has taken the request, so that one it refuses fails before any of it
   * reached the client: throws an {@code ApiException} then.
   */
  default void begin() {
  }

  /**
   * Decodes to the end, sending canonical events as they are known: the last are each choice's
   * finish and the usage, or a {@link ChatEvent.Failure}.
   */
  void run(Consumer<List<ChatEvent>> emit);

  /** Asks decoding to stop; it does between two tokens, which frees the slot. From any thread. */
  void cancel();

  /** The whole answer at once, for a non-streamed request; a failure among the events is thrown. */
  default ChatResponse complete() {
    ChatResponseAccumulator accumulator = new ChatResponseAccumulator();
    run(events -> events.forEach(event -> {
      if (event instanceof ChatEvent.Failure failure) {
        throw failure.error().exception();
      }
      accumulator.accept(event);
    }));
    return accumulator.response();
  }
}
