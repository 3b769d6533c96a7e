package io.lmbridge.provider;

import io.vertx.core.buffer.Buffer;

import java.util.function.BiConsumer;

/**
 * Server-Sent Events framing, fed one line at a time (without its {@code \n}): a trailing
 * {@code \r} is dropped, {@code data:} lines of one event are joined with {@code \n}, comments are
 * skipped, and a blank line dispatches the event. Lines come from a {@code RecordParser} split on
 * {@code \n}, which handles both LF and CRLF framing and events split across TCP writes.
 */
public final class SseParser {

  private final BiConsumer<String, String> onEvent;
  private final StringBuilder data = new StringBuilder();
  private String event;
  private boolean hasData;

  /** @param onEvent receives (event name or null, data) */
  public SseParser(BiConsumer<String, String> onEvent) {
    this.onEvent = onEvent;
  }

  public void line(Buffer raw) {
    int length = raw.length();
    if (length > 0 && raw.getByte(length - 1) == '\r') {
      length--;
    }
    String line = raw.getString(0, length);
    if (line.isEmpty()) {
      dispatch();
    } else if (line.startsWith("data:")) {
      if (hasData) {
        data.append('\n');
      }
      data.append(value(line, 5));
      hasData = true;
    } else if (line.startsWith("event:")) {
      event = value(line, 6);
    }
  }

  /** The stream ended: an event not followed by a blank line still counts. */
  public void end() {
    dispatch();
  }

  private void dispatch() {
    if (hasData) {
      onEvent.accept(event, data.toString());
    }
    data.setLength(0);
    hasData = false;
    event = null;
  }

  private static String value(String line, int start) {
    return line.startsWith(" ", start) ? line.substring(start + 1) : line.substring(start);
  }
}
