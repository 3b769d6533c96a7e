package io.lmbridge.provider;

import io.lmbridge.chat.ApiError;
import io.lmbridge.chat.ChatEvent;

import java.util.List;

/** Where an adapter sends the canonical events of a streamed call, as they arrive from upstream. */
public interface EventSink {

  void emit(List<ChatEvent> events);

  /** The stream finished normally. Later calls are ignored. */
  void end();

  /** The stream broke after it had started. Later calls are ignored. */
  void fail(ApiError error);
}
