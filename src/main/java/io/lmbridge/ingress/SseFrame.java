package io.lmbridge.ingress;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** One Server-Sent Event as the gateway writes it: an optional {@code event:} line and one {@code data:} line. */
public record SseFrame(String event, String data) {

  public static SseFrame data(JsonObject json) {
    return new SseFrame(null, json.encode());
  }

  public static SseFrame named(String event, JsonObject json) {
    return new SseFrame(event, json.encode());
  }

  void appendTo(Buffer out) {
    if (event != null) {
      out.appendString("event: ").appendString(event).appendString("\n");
    }
    out.appendString("data: ").appendString(data).appendString("\n\n");
  }
}
