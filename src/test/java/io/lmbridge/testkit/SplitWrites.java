package io.lmbridge.testkit;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

import java.util.List;

/**
 * How the test upstreams stream: each frame in two TCP writes cut mid-line, a millisecond apart, as
 * real networks deliver them, so the gateway's parsers meet partial lines and cannot rely on one read
 * per event.
 */
final class SplitWrites {

  private SplitWrites() {
  }

  /**
   * Writes every frame, then ends the response, or resets the connection instead if {@code cut}.
   *
   * @param delayMillis the pause between frames
   */
  static void send(Vertx vertx, HttpServerResponse response, List<String> frames, long delayMillis, boolean cut) {
    next(vertx, response, frames, 0, delayMillis, cut);
  }

  private static void next(Vertx vertx, HttpServerResponse response, List<String> frames, int index, long delay,
                           boolean cut) {
    if (response.closed()) {
      return;
    }
    if (index == frames.size()) {
      if (cut) {
        response.reset();
      } else {
        response.end();
      }
      return;
    }
    String frame = frames.get(index);
    int half = frame.length() / 2;
    response.write(Buffer.buffer(frame.substring(0, half)));
    vertx.setTimer(1, first -> {
      if (!response.closed()) {
        response.write(Buffer.buffer(frame.substring(half)));
        vertx.setTimer(Math.max(1, delay), second -> next(vertx, response, frames, index + 1, delay, cut));
      }
    });
  }
}
