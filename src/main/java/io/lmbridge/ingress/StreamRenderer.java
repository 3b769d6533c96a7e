package io.lmbridge.ingress;

import io.lmbridge.chat.ChatEvent;

import java.util.List;

/**
 * Renders one canonical stream in a client's dialect. Stateful, one per response. A
 * {@link ChatEvent.Failure} among the events ends the stream: the renderer writes the dialect's
 * error frames for it, and {@link #end()} is not called.
 */
public interface StreamRenderer {

  /** Frames sent before any event (Responses' {@code response.created}, say). */
  List<SseFrame> start();

  List<SseFrame> render(List<ChatEvent> events);

  /** Frames closing a stream that ended without a failure ({@code [DONE]}, {@code response.completed}). */
  List<SseFrame> end();
}
