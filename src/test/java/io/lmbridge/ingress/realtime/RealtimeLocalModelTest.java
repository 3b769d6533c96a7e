package io.lmbridge.ingress.realtime;

import io.lmbridge.testkit.Http;
import io.lmbridge.testkit.TestGateway;
import io.lmbridge.testkit.TinyGguf;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.lmbridge.ingress.realtime.ClientEvents.createItem;
import static io.lmbridge.ingress.realtime.ClientEvents.event;
import static io.lmbridge.ingress.realtime.ClientEvents.joined;
import static io.lmbridge.ingress.realtime.ClientEvents.types;
import static io.lmbridge.ingress.realtime.ClientEvents.userMessage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Realtime sessions on local models served by real runner processes: streamed text to a completed
 * response, and a response cancelled or abandoned mid-way that gives the runner's only slot back.
 */
class RealtimeLocalModelTest {

  /**
   * An endless generation this long held the slot for 84 s on a 2-core machine, so a slot free again
   * within {@link #FREED_WITHIN} was freed by the cancel, not by the generation ending.
   */
  private static final int ENDLESS_TOKENS = 30_000;
  private static final Duration FREED_WITHIN = Duration.ofSeconds(3);

  private static Vertx vertx;
  private static TestGateway gateway;
  private static Http http;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    Path models = Files.createTempDirectory("lmbridge-models");
    TinyGguf.write(models, "Tiny-Chat-Q8_0.gguf");
    TinyGguf.writeEndless(models, "Endless-Q8_0.gguf");
    // One slot and no queue: while a response holds the slot, any other request is refused with 429.
    // A stream interval well above the test model's time per token, even on a slow machine.
    gateway = TestGateway.withLocalModels(models, new JsonObject().put("context_size", 32_768).put("slots", 1)
        .put("max_queue", 0).put("stream_interval_ms", 50));
    http = new Http(vertx, gateway.port());
  }

  @AfterAll
  static void stop() {
    gateway.close();
    vertx.close().await();
  }

  /**
   * The tiny model's random weights sometimes end an answer at its first token (1 in 25 measured),
   * so the session asks again, as a user would, until an answer has text; every answer completes.
   */
  @Test
  void aLocalModelStreamsTextToACompletedResponse() {
    try (RawRealtimeClient client = open("lmbridge:tiny-chat")) {
      client.send(createItem(userMessage("Tell me a story")));
      List<JsonObject> events;
      String text;
      int tries = 0;
      do {
        client.send(event("response.create"));
        events = client.until("response.done");
        text = joined(events, "response.output_text.delta");
        assertThat(types(events)).doesNotContain("error");
        assertThat(events.get(events.size() - 1).getJsonObject("response").getString("status"))
            .isEqualTo("completed");
      } while (text.isEmpty() && ++tries < 5);

      assertThat(types(events)).containsSubsequence("response.created", "response.output_text.delta",
          "response.output_text.done", "response.done");
      JsonObject response = events.get(events.size() - 1).getJsonObject("response");
      assertThat(response.getJsonArray("output").getJsonObject(0).getJsonArray("content").getJsonObject(0)
          .getString("text")).isEqualTo(text);
      assertThat(response.getJsonObject("usage").getInteger("output_tokens")).isPositive();
    }
  }

  /** Tokens that reach the gateway together (within llama.stream_interval_ms) go out as one delta event, not one per token. */
  @Test
  void aFastModelsTokensArriveAsFewerLargerDeltas() {
    try (RawRealtimeClient client = open("lmbridge:endless")) {
      client.send(createItem(userMessage("Tell me a story")));
      client.send(event("response.create").put("response", new JsonObject().put("max_output_tokens", 200)));
      List<JsonObject> events = client.until("response.done");

      JsonObject response = events.get(events.size() - 1).getJsonObject("response");
      int tokens = response.getJsonObject("usage").getInteger("output_tokens");
      long deltas = types(events).stream().filter("response.output_text.delta"::equals).count();
      assertThat(tokens).isGreaterThan(150);
      assertThat(deltas).isLessThan(tokens / 2);
      assertThat(joined(events, "response.output_text.delta")).isEqualTo(response.getJsonArray("output")
          .getJsonObject(0).getJsonArray("content").getJsonObject(0).getString("text"));
    }
  }

  @Test
  void responseCancelFreesTheRunnersOnlySlot() {
    try (RawRealtimeClient client = openGenerating()) {
      client.send(event("response.cancel"));
      assertThat(client.next("response.done").getJsonObject("response").getString("status")).isEqualTo("cancelled");
      assertSlotFreed();
    }
  }

  @Test
  void closingTheSocketFreesTheRunnersOnlySlot() {
    openGenerating().close();
    assertSlotFreed();
  }

  private static RawRealtimeClient open(String model) {
    RawRealtimeClient client = RawRealtimeClient.open(vertx, gateway.port(), "/v1/realtime?model=" + model);
    client.next("session.created");
    return client;
  }

  /** A session whose endless response is streaming and holds the slot, which a chat request proves. */
  private static RawRealtimeClient openGenerating() {
    RawRealtimeClient client = open("lmbridge:endless");
    client.send(createItem(userMessage("Go on forever")));
    client.send(event("response.create").put("response", new JsonObject().put("max_output_tokens", ENDLESS_TOKENS)));
    client.next("response.output_text.delta");
    Http.Reply busy = http.post("/v1/chat/completions", chat());
    assertThat(busy.status()).isEqualTo(429);
    assertThat(busy.error().getString("code")).isEqualTo("model_busy");
    return client;
  }

  private static void assertSlotFreed() {
    await().atMost(FREED_WITHIN).until(() -> http.post("/v1/chat/completions", chat()).status() == 200);
  }

  private static JsonObject chat() {
    return new JsonObject().put("model", "lmbridge:endless").put("max_tokens", 4)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));
  }
}
