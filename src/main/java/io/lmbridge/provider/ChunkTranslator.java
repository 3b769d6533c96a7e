package io.lmbridge.provider;

import io.lmbridge.chat.ChatEvent;
import io.lmbridge.chat.ChatResponse;
import io.lmbridge.chat.ChatResponseAccumulator;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * For wires whose stream is a series of objects shaped like the whole response (Gemini's
 * {@code GenerateContentResponse} chunks, Ollama's NDJSON lines): one translation serves both, the
 * whole response being the events of its single object, folded. One instance per call, since
 * translations may count across chunks.
 */
public interface ChunkTranslator {

  List<ChatEvent> translate(JsonObject chunk);

  default ChatResponse whole(JsonObject body) {
    ChatResponseAccumulator response = new ChatResponseAccumulator();
    translate(body).forEach(response::accept);
    return response.response();
  }

  /** A stream decoder that ends with the upstream's response, as these wires have no end marker. */
  default StreamRelay.Decoder decoder(StreamRelay.Framing framing) {
    return new StreamRelay.Decoder() {
      @Override
      public List<ChatEvent> decode(String event, String data) {
        return translate(new JsonObject(data));
      }

      @Override
      public boolean isLast(String event, String data) {
        return false;
      }

      @Override
      public StreamRelay.Framing framing() {
        return framing;
      }
    };
  }
}
