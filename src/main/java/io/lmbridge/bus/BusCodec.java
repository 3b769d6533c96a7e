package io.lmbridge.bus;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.lmbridge.chat.ApiError;
import io.lmbridge.chat.ChatEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.jackson.VertxModule;

import java.io.IOException;
import java.util.List;

/**
 * Canonical records as JSON bytes: the only body format on the bus, so any node of a cluster
 * (whatever its version of the classes) can read what another sent.
 */
public final class BusCodec {

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModule(new VertxModule())
      .setSerializationInclusion(JsonInclude.Include.NON_NULL)
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private static final TypeReference<List<ChatEvent>> EVENTS = new TypeReference<>() {
  };
  private static final ObjectWriter EVENTS_WRITER = MAPPER.writerFor(EVENTS);
  private static final ObjectReader EVENTS_READER = MAPPER.readerFor(EVENTS);

  private BusCodec() {
  }

  public static Buffer encode(Object value) {
    try {
      return Buffer.buffer(MAPPER.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot encode " + value.getClass().getSimpleName(), e);
    }
  }

  public static <T> T decode(Buffer body, Class<T> type) {
    try {
      return MAPPER.readValue(body.getBytes(), type);
    } catch (IOException e) {
      throw ApiError.internal("malformed " + type.getSimpleName() + " on the event bus: " + e.getMessage())
          .exception();
    }
  }

  public static Buffer encodeEvents(List<ChatEvent> events) {
    try {
      return Buffer.buffer(EVENTS_WRITER.writeValueAsBytes(events));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot encode events", e);
    }
  }

  public static List<ChatEvent> decodeEvents(Buffer body) {
    try {
      return EVENTS_READER.readValue(body.getBytes());
    } catch (IOException e) {
      throw ApiError.internal("malformed events on the event bus: " + e.getMessage()).exception();
    }
  }
}
