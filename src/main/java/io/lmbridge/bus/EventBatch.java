package io.lmbridge.bus;

import io.lmbridge.chat.ChatEvent;

import java.util.List;

/** The body of a stream message: the canonical events an adapter got from one upstream read. */
public record EventBatch(List<ChatEvent> events) {

  public EventBatch {
    events = List.copyOf(events);
  }
}
