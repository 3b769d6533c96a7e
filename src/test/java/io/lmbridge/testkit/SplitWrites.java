package io.lmbridge.testkit;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

import java.util.List;

/**
 * Writes stream frames the way networks deliver them: each frame in two TCP writes, cut mid-line,
 * a millisecond apart, so the gateway's framing cannot rely on one read per event.
 */
final class SplitWrites {

  private SplitWrites() {
  }

  /** Writes every frame, then ends the response, or cuts the connection instead if {@code cut}. */
  static void write(Vertx vertx, HttpServerResponse response, List<String> frames, boolean cut) {
    next(vertx, response, frames, 0, cut);
  }

  private static void next(Vertx vertx, HttpServerResponse response, List<String> frames, int index, boolean cut) {
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
        vertx.setTimer(1, second -> next(vertx, response, frames, index + 1, cut));
      }
    });
  }
}
