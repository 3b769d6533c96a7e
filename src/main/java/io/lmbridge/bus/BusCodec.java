package io.lmbridge.bus;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lmbridge.chat.ApiError;
import io.lmbridge.chat.ChatRequest;
import io.lmbridge.chat.ChatResponse;
import io.lmbridge.logging.RequestLogRow;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.jackson.VertxModule;

import java.io.IOException;
import java.util.List;

/**
 * Canonical records as JSON bytes: the format of every body that crosses the network between nodes,
 * so any node of a cluster (whatever its version of the classes) can read what another sent.
 */
public final class BusCodec {

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModule(new VertxModule())
      .setSerializationInclusion(JsonInclude.Include.NON_NULL)
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

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

  /**
   * Lets the canonical records travel as message bodies; every node registers the same codecs, so
   * what crosses the network is always this class's JSON.
   */
  public static void register(EventBus bus) {
    for (Class<?> type : List.of(ChatRequest.class, ChatResponse.class, EventBatch.class, CacheEntry.class,
        RequestLogRow.class)) {
      registerCodec(bus, type);
    }
  }

  private static <T> void registerCodec(EventBus bus, Class<T> type) {
    bus.registerDefaultCodec(type, new RecordCodec<>(type));
  }
}
