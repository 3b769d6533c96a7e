package io.lmbridge.testkit;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

import java.util.List;

/**
 * How the test upstreams stream: each frame in two TCP writes cut mid-line, as real networks deliver
 * them, so the gateway's parsers meet partial lines; then the response ends.
 */
final class SplitWrites {

  private SplitWrites() {
  }

  /** @param delayMillis the pause between frames */
  static void send(Vertx vertx, HttpServerResponse response, List<String> frames, long delayMillis) {
    send(vertx, response, frames, 0, delayMillis);
  }

  private static void send(Vertx vertx, HttpServerResponse response, List<String> frames, int index, long delay) {
    if (response.closed()) {
      return;
    }
    if (index == frames.size()) {
      response.end();
      return;
    }
    String frame = frames.get(index);
    int cut = frame.length() / 2;
    response.write(Buffer.buffer(frame.substring(0, cut)));
    vertx.setTimer(1, t -> {
      if (response.closed()) {
        return;
      }
      response.write(Buffer.buffer(frame.substring(cut)));
      vertx.setTimer(Math.max(1, delay), next -> send(vertx, response, frames, index + 1, delay));
    });
  }
}
