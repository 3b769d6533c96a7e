package io.lmbridge.provider;

import io.lmbridge.chat.ApiError;
import io.lmbridge.chat.ChatEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.parsetools.RecordParser;

import java.util.ArrayList;
import java.util.List;

/**
 * Relays an upstream stream (Server-Sent Events, or Ollama's newline-delimited JSON) to an
 * {@link EventSink} as canonical events, as they arrive: the events parsed from one network read go
 * out as one bus message, so a model that sends a token per packet gets a message per token, and an
 * upstream that sends a burst does not pay a message per event. Adapters only say how their
 * provider's events translate.
 */
public final class StreamRelay {

  /** How the upstream frames its events. */
  public enum Framing {
    /** Server-Sent Events: {@code event:} and {@code data:} lines, a blank line per event. */
    SSE,
    /** One JSON document per line; the decoder gets it as {@code data}, with no event name. */
    NDJSON
  }

  /** A provider's stream events in canonical terms. One instance per stream, so it may keep state. */
  public interface Decoder {

    /** The canonical events one upstream event carries; may throw {@code DecodeException} on bad JSON. */
    List<ChatEvent> decode(String event, String data);

    /** Whether this event closes the stream (OpenAI's {@code [DONE]}, for instance). */
    boolean isLast(String event, String data);

    default Framing framing() {
      return Framing.SSE;
    }

    /**
     * Whether the provider always closes its streams with an event {@link #isLast} recognises, so
     * that a stream ending without it was cut short. OpenAI-compatible servers do not all send one.
     */
    default boolean requiresLastEvent() {
      return false;
    }
  }

  private final String provider;
  private final Decoder decoder;
  private final EventSink sink;
  private final List<ChatEvent> batch = new ArrayList<>();
  private boolean last;

  private StreamRelay(String provider, Decoder decoder, EventSink sink) {
    this.provider = provider;
    this.decoder = decoder;
    this.sink = sink;
  }

  public static void relay(String provider, HttpClientResponse response, Decoder decoder, EventSink sink) {
    StreamRelay relay = new StreamRelay(provider, decoder, sink);
    SseParser sse = new SseParser(relay::onEvent);
    RecordParser lines = RecordParser.newDelimited("\n",
        decoder.framing() == Framing.SSE ? sse::line : relay::onJsonLine);
    response.handler(bytes -> {
      lines.handle(bytes);
      relay.flush();
      if (relay.last) {
        sink.end();
      }
    });
    response.endHandler(ended -> {
      sse.end();
      relay.flush();
      if (!relay.last && decoder.requiresLastEvent()) {
        sink.fail(ApiError.upstream(502, provider + ": upstream stream ended before its last event"));
      }
      sink.end();
    });
    response.exceptionHandler(failure -> sink.fail(UpstreamError.unreachable(provider, failure)));
  }

  private void onJsonLine(Buffer line) {
    String json = line.toString().strip();
    if (!json.isEmpty()) {
      onEvent(null, json);
    }
  }

  private void onEvent(String event, String data) {
    if (last) {
      return;
    }
    if (decoder.isLast(event, data)) {
      last = true;
      return;
    }
    try {
      batch.addAll(decoder.decode(event, data));
    } catch (DecodeException | ClassCastException e) {
      batch.add(new ChatEvent.Failure(ApiError.upstream(502, provider + ": upstream sent a malformed stream event")));
    }
  }

  /** Sends what the last read produced; a failure among it ends the stream there. */
  private void flush() {
    if (batch.isEmpty()) {
      return;
    }
    List<ChatEvent> events = List.copyOf(batch);
    batch.clear();
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i) instanceof ChatEvent.Failure failure) {
        sink.emit(events.subList(0, i));
        sink.fail(failure.error());
        return;
      }
    }
    sink.emit(events);
  }
}
