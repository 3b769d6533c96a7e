package io.lmbridge.bus;

import io.lmbridge.chat.ChatEvent;

import java.util.List;

/** Receives one call's stream on the ingress side, in order, on the ingress instance's event loop. */
public interface StreamListener {

  void onEvents(List<ChatEvent> events);

  /**
   * The stream is over: after the last events, or after a {@code Failure} event.
   *
   * @param upstreamMillis how long the provider took, when its adapter said
   */
  void onEnd(Double upstreamMillis);
}
