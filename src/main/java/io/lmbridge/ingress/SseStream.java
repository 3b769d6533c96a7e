package io.lmbridge.ingress;

import io.lmbridge.chat.ChatEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

import java.util.List;

/**
 * Writes a canonical stream as SSE; headers go out with the first frame, not before acceptance.
 * Writes do not wait for {@code writeQueueFull()}: a model produces at most one answer's worth of
 * text, slowly, so a slow client costs that much memory at worst, and pausing would stall nothing
 * upstream because the bus has no back-pressure to pass it to.
 */
final class SseStream {

  private final HttpServerResponse response;
  private final StreamRenderer renderer;
  private boolean started;
  private boolean ended;
  private boolean failed;

  SseStream(HttpServerResponse response, StreamRenderer renderer) {
    this.response = response;
    this.renderer = renderer;
  }

  boolean started() {
    return started;
  }

  boolean ended() {
    return ended;
  }

  /** The request was answered with a plain HTTP error instead: nothing is to be streamed. */
  void abandon() {
    ended = true;
  }

  void begin() {
    if (started || ended) {
      return;
    }
    started = true;
    response.setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        .putHeader("X-Accel-Buffering", "no");
    write(renderer.start());
  }

  void events(List<ChatEvent> events) {
    if (ended) {
      return;
    }
    begin();
    failed |= events.stream().anyMatch(ChatEvent.Failure.class::isInstance);
    write(renderer.render(events));
  }

  void end() {
    if (ended) {
      return;
    }
    begin();
    ended = true;
    if (!response.closed()) {
      // The last frames and the end of the chunked body in one write: one flush, one packet.
      response.end(encode(failed ? List.of() : renderer.end()));
    }
  }

  private void write(List<SseFrame> frames) {
    if (frames.isEmpty() || response.closed()) {
      return;
    }
    response.write(encode(frames));
  }

  private static Buffer encode(List<SseFrame> frames) {
    Buffer out = Buffer.buffer(256);
    frames.forEach(frame -> frame.appendTo(out));
    return out;
  }
}
