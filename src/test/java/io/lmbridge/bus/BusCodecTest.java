package io.lmbridge.bus;

import io.lmbridge.chat.ChatRequest;
import io.lmbridge.chat.ChatResponse;
import io.lmbridge.chat.ContentPart;
import io.lmbridge.chat.FinishReason;
import io.lmbridge.chat.Message;
import io.lmbridge.chat.Role;
import io.lmbridge.chat.Usage;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Canonical records survive the JSON that carries them between cluster nodes, the newer fields included. */
class BusCodecTest {

  @Test
  void cacheMarksSignaturesAndCacheWritesRoundTrip() {
    JsonObject cache = new JsonObject().put("type", "ephemeral");
    Message user = new Message(Role.USER, List.of(new ContentPart.Text("long prompt", cache),
        new ContentPart.Image("data:image/png;base64,AAAA", "low", cache)), null, null, null, null, null);
    Message assistant = new Message(Role.ASSISTANT, List.of(new ContentPart.Text("42")), null, null, null,
        "thought", "sig-1");
    ChatRequest request = new ChatRequest("m", List.of(user, assistant), null, null, null, null, null, null, false,
        null, null, null);
    assertThat(BusCodec.decode(BusCodec.encode(request), ChatRequest.class)).isEqualTo(request);

    ChatResponse response = new ChatResponse(List.of(new ChatResponse.Choice(0, assistant, FinishReason.STOP)),
        new Usage(42, 9, 30, 0, 5));
    assertThat(BusCodec.decode(BusCodec.encode(response), ChatResponse.class)).isEqualTo(response);
  }
}
