package io.lmbridge.ingress.realtime;

import io.lmbridge.testkit.GatewayFixture;
import io.lmbridge.testkit.OpenAiUpstream;
import io.lmbridge.testkit.OpenAiUpstream.Reply;
import io.lmbridge.testkit.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.lmbridge.ingress.realtime.ClientEvents.createItem;
import static io.lmbridge.ingress.realtime.ClientEvents.event;
import static io.lmbridge.ingress.realtime.ClientEvents.joined;
import static io.lmbridge.ingress.realtime.ClientEvents.types;
import static io.lmbridge.ingress.realtime.ClientEvents.userMessage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** {@code /v1/realtime} through a plain Vert.x WebSocket client, against a real OpenAI-wire upstream. */
class RealtimeWebSocketTest {

  private static final String URI = "/v1/realtime?model=openai:gpt-4o";
  private static GatewayFixture fixture;
  private static OpenAiUpstream upstream;
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    fixture = GatewayFixture.start();
    upstream = fixture.upstream();
    vertx = fixture.vertx();
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @BeforeEach
  void reset() {
    upstream.reply(Reply.text("Hello from the upstream"));
  }

  private static RawRealtimeClient open(WebSocketConnectOptions options) {
    return RawRealtimeClient.connect(vertx, fixture.gateway().port(), options).await();
  }

  /** The original design's example: beta subprotocol, an inline response, response.text.delta events. */
  @Test
  void betaSubprotocolRunsTheOriginalExampleWithoutTouchingTheConversation() {
    try (RawRealtimeClient client = open(new WebSocketConnectOptions().setURI(URI)
        .setSubProtocols(List.of("openai-realtime-v1")))) {
      assertThat(client.subProtocol()).isEqualTo("openai-realtime-v1");
      JsonObject session = client.next("session.created").getJsonObject("session");
      assertThat(session.getJsonArray("modalities")).containsExactly("text");
      assertThat(session.containsKey("type")).isFalse();

      client.send(createItem(userMessage("stored question")));
      assertThat(client.next().getString("type")).isEqualTo("conversation.item.created");

      client.send(event("response.create").put("response", new JsonObject()
          .put("modalities", new JsonArray().add("text"))
          .put("instructions", "Answer in one word.")
          .put("input", new JsonArray().add(userMessage("inline question")))));
      List<JsonObject> events = client.until("response.done");
      assertThat(types(events)).containsSubsequence("response.created", "response.output_item.added",
          "response.content_part.added", "response.text.delta", "response.text.done", "response.content_part.done",
          "response.output_item.done", "response.done");
      assertThat(types(events)).doesNotContain("response.output_text.delta");
      assertThat(joined(events, "response.text.delta")).isEqualTo("Hello from the upstream");
      JsonObject response = events.get(events.size() - 1).getJsonObject("response");
      assertThat(response.getString("status")).isEqualTo("completed");
      assertThat(response.getJsonArray("modalities")).containsExactly("text");
      assertThat(response.getJsonArray("output").getJsonObject(0).getJsonArray("content").getJsonObject(0)
          .getString("type")).isEqualTo("text");
      assertThat(upstream.last().body().getJsonArray("messages")).isEqualTo(new JsonArray()
          .add(new JsonObject().put("role", "system").put("content", "Answer in one word."))
          .add(new JsonObject().put("role", "user").put("content", "inline question")));

      client.send(event("response.create"));
      assertThat(client.next("response.done").getJsonObject("response").getString("status")).isEqualTo("completed");
      assertThat(upstream.last().body().getJsonArray("messages")).isEqualTo(new JsonArray()
          .add(new JsonObject().put("role", "user").put("content", "stored question")));
    }
  }

  @Test
  void betaHeaderWithoutSubprotocolGetsBetaNames() {
    try (RawRealtimeClient client = open(new WebSocketConnectOptions().setURI(URI)
        .addHeader("OpenAI-Beta", "realtime=v1"))) {
      assertThat(client.subProtocol()).isNull();
      client.next("session.created");
      client.send(createItem(userMessage("Hi")).put("event_id", "evt_1"));
      assertThat(client.next().getString("type")).isEqualTo("conversation.item.created");
      client.send(event("response.create"));
      List<JsonObject> events = client.until("response.done");
      assertThat(joined(events, "response.text.delta")).isEqualTo("Hello from the upstream");
    }
  }

  @Test
  void browserSubprotocolsAreAcceptedAndOneIsEchoed() {
    try (RawRealtimeClient client = open(new WebSocketConnectOptions().setURI(URI)
        .setSubProtocols(List.of("realtime", "openai-insecure-api-key.sk-abc")))) {
      assertThat(client.subProtocol()).isEqualTo("realtime");
      assertThat(client.next().getJsonObject("session").getString("type")).isEqualTo("realtime");
    }
    try (RawRealtimeClient client = open(new WebSocketConnectOptions().setURI(URI)
        .setSubProtocols(List.of("openai-insecure-api-key.sk-abc")))) {
      assertThat(client.subProtocol()).isEqualTo("openai-insecure-api-key.sk-abc");
      client.next("session.created");
    }
  }

  @Test
  void noSubprotocolIsGaWithAddedAndDoneItems() {
    try (RawRealtimeClient client = RawRealtimeClient.open(vertx, fixture.gateway().port(), URI)) {
      assertThat(client.subProtocol()).isNull();
      JsonObject session = client.next("session.created").getJsonObject("session");
      assertThat(session.getJsonArray("output_modalities")).containsExactly("text");
      client.send(createItem(userMessage("Hi")));
      assertThat(types(List.of(client.next(), client.next())))
          .containsExactly("conversation.item.added", "conversation.item.done");
      client.send(event("response.create"));
      List<JsonObject> events = client.until("response.done");
      assertThat(joined(events, "response.output_text.delta")).isEqualTo("Hello from the upstream");
      assertThat(types(events)).doesNotContain("response.text.delta");
    }
  }

  @Test
  void audioIsRefusedAndTheSessionStaysOpen() {
    try (RawRealtimeClient client = RawRealtimeClient.open(vertx, fixture.gateway().port(), URI)) {
      client.next("session.created");
      client.send(event("session.update").put("event_id", "evt_audio").put("session", new JsonObject()
          .put("type", "realtime").put("output_modalities", new JsonArray().add("audio"))));
      JsonObject error = client.next().getJsonObject("error");
      assertThat(error.getString("code")).isEqualTo("audio_not_supported");
      assertThat(error.getString("event_id")).isEqualTo("evt_audio");
      assertThat(error.getString("message")).contains("text only");

      client.send(event("input_audio_buffer.append").put("audio", "AAAA"));
      assertThat(client.next().getJsonObject("error").getString("code")).isEqualTo("audio_not_supported");
      client.send(createItem(new JsonObject().put("type", "message").put("role", "user").put("content",
          new JsonArray().add(new JsonObject().put("type", "input_audio").put("audio", "AAAA")))));
      JsonObject itemError = client.next().getJsonObject("error");
      assertThat(itemError.getString("code")).isEqualTo("audio_not_supported");
      assertThat(itemError.getString("param")).isEqualTo("item.content[0].type");

      client.send(createItem(userMessage("Hi")));
      client.send(event("response.create"));
      assertThat(client.next("response.done").getJsonObject("response").getString("status")).isEqualTo("completed");
      assertThat(upstream.last().body().getJsonArray("messages")).hasSize(1);
    }
  }

  @Test
  void badEventsGetErrorEvents() {
    try (RawRealtimeClient client = RawRealtimeClient.open(vertx, fixture.gateway().port(), URI)) {
      client.next("session.created");
      client.sendText("{not json");
      JsonObject bad = client.next();
      assertThat(bad.getString("type")).isEqualTo("error");
      assertThat(bad.getString("event_id")).startsWith("event_");
      assertThat(bad.getJsonObject("error").getString("code")).isEqualTo("invalid_json");
      assertThat(bad.getJsonObject("error").getString("message"))
          .contains("was expecting double-quote to start field name").endsWith(" at line 1, column 2");

      client.send(event("conversation.dance").put("event_id", "evt_7"));
      JsonObject unknown = client.next().getJsonObject("error");
      assertThat(unknown.getString("code")).isEqualTo("invalid_event_type");
      assertThat(unknown.getString("type")).isEqualTo("invalid_request_error");
      assertThat(unknown.getString("event_id")).isEqualTo("evt_7");

      client.send(event("response.cancel"));
      assertThat(client.next().getJsonObject("error").getString("code")).isEqualTo("response_cancel_not_active");

      client.send(event("session.update").put("session", new JsonObject().put("type", "realtime")
          .put("instructions", "Be brief.")));
      assertThat(client.next().getJsonObject("session").getString("instructions")).isEqualTo("Be brief.");
    }
  }

  @Test
  void unknownModelAndProviderFailuresAreErrorEvents() {
    try (RawRealtimeClient client = RawRealtimeClient.open(vertx, fixture.gateway().port(),
        "/v1/realtime?model=nowhere:model")) {
      client.next("session.created");
      client.send(createItem(userMessage("Hi")));
      client.send(event("response.create").put("event_id", "evt_r"));
      JsonObject error = client.next("error").getJsonObject("error");
      assertThat(error.getString("code")).isEqualTo("model_not_found");
      assertThat(error.getString("event_id")).isEqualTo("evt_r");

      client.send(event("session.update").put("session", new JsonObject().put("type", "realtime")
          .put("model", "openai:gpt-4o")));
      assertThat(client.next().getJsonObject("session").getString("model")).isEqualTo("openai:gpt-4o");
      upstream.replyOnce(Reply.error(400, "invalid_request_error", "The upstream refused this", null));
      client.send(event("response.create"));
      List<JsonObject> events = client.until("response.done");
      assertThat(types(events)).containsExactly("response.created", "error", "response.done");
      assertThat(events.get(1).getJsonObject("error").getString("message")).contains("The upstream refused this");
      JsonObject response = events.get(2).getJsonObject("response");
      assertThat(response.getString("status")).isEqualTo("failed");
      assertThat(response.getJsonObject("status_details").getJsonObject("error").getString("type"))
          .isEqualTo("invalid_request_error");

      client.send(event("response.create"));
      assertThat(client.next("response.done").getJsonObject("response").getString("status")).isEqualTo("completed");
    }
  }

  @Test
  void oneResponseAtATime() {
    upstream.reply(Reply.text("one two three four five").delayed(100));
    try (RawRealtimeClient client = RawRealtimeClient.open(vertx, fixture.gateway().port(), URI)) {
      client.next("session.created");
      client.send(createItem(userMessage("Hi")));
      client.send(event("response.create"));
      String first = client.next("response.created").getJsonObject("response").getString("id");
      client.send(event("response.create").put("event_id", "evt_2"));
      List<JsonObject> events = client.until("response.done");
      JsonObject error = events.stream().filter(e -> e.getString("type").equals("error")).findFirst().orElseThrow()
          .getJsonObject("error");
      assertThat(error.getString("code")).isEqualTo("conversation_already_has_active_response");
      assertThat(error.getString("event_id")).isEqualTo("evt_2");
      JsonObject done = events.get(events.size() - 1).getJsonObject("response");
      assertThat(done.getString("id")).isEqualTo(first);
      assertThat(done.getString("status")).isEqualTo("completed");
      assertThat(joined(events, "response.output_text.delta")).isEqualTo("one two three four five");
    }
  }

  @Test
  void deletedItemsLeaveTheConversation() {
    try (RawRealtimeClient client = RawRealtimeClient.open(vertx, fixture.gateway().port(), URI)) {
      client.next("session.created");
      client.send(createItem(userMessage("forget me").put("id", "item_a")));
      client.send(createItem(userMessage("keep me")));
      client.until("conversation.item.done");
      client.until("conversation.item.done");
      client.send(event("conversation.item.delete").put("item_id", "item_a"));
      assertThat(client.next().getString("item_id")).isEqualTo("item_a");
      client.send(event("conversation.item.delete").put("item_id", "item_a"));
      assertThat(client.next().getJsonObject("error").getString("code")).isEqualTo("item_not_found");

      client.send(event("response.create"));
      client.next("response.done");
      assertThat(upstream.last().body().getJsonArray("messages")).isEqualTo(new JsonArray()
          .add(new JsonObject().put("role", "user").put("content", "keep me")));
    }
  }

  @Test
  void closingTheSocketCancelsTheUpstream() {
    upstream.reply(Reply.text("a b c d e f g h i j k l m n o p").delayed(200));
    int before = upstream.disconnects();
    RawRealtimeClient client = RawRealtimeClient.open(vertx, fixture.gateway().port(), URI);
    client.next("session.created");
    client.send(createItem(userMessage("Talk")));
    client.send(event("response.create"));
    String id = client.next("response.created").getJsonObject("response").getString("id");
    client.next("response.output_text.delta");
    client.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> upstream.disconnects() == before + 1);
    await().until(() -> fixture.http().get("/v1/logs/" + id).status() == 200);
    assertThat(fixture.http().get("/v1/logs/" + id).json().getInteger("status")).isEqualTo(499);
  }

  @Test
  void eachResponseIsLogged() {
    try (RawRealtimeClient client = RawRealtimeClient.open(vertx, fixture.gateway().port(), URI)) {
      client.next("session.created");
      client.send(createItem(userMessage("Log me")));
      client.send(event("response.create"));
      JsonObject response = client.next("response.done").getJsonObject("response");
      String id = response.getString("id");
      await().until(() -> fixture.http().get("/v1/logs/" + id).status() == 200);
      JsonObject row = fixture.http().get("/v1/logs/" + id).json();
      assertThat(row.getString("endpoint")).isEqualTo("/v1/realtime");
      assertThat(row.getString("dialect")).isEqualTo("realtime");
      assertThat(row.getString("model")).isEqualTo("openai:gpt-4o");
      assertThat(row.getInteger("status")).isEqualTo(200);
      assertThat(row.getInteger("prompt_tokens")).isEqualTo(11);
      assertThat(row.getString("request_body")).contains("Log me");
      assertThat(row.getString("response_body")).contains("Hello from the upstream");
      assertThat(response.getJsonObject("usage").getInteger("total_tokens")).isEqualTo(18);
    }
  }

  /** A gateway of its own, since its limits would get in the other tests' way. */
  @Test
  void limitsComeFromConfig() throws InterruptedException {
    JsonObject config = new JsonObject().put("realtime", new JsonObject()
        .put("max_sessions", 2).put("idle_timeout_seconds", 1).put("max_message_bytes", 2048));
    try (TestGateway gateway = TestGateway.withOpenAi(upstream, config)) {
      RawRealtimeClient a = RawRealtimeClient.open(vertx, gateway.port(), URI);
      RawRealtimeClient b = RawRealtimeClient.open(vertx, gateway.port(), URI);
      assertThatThrownBy(() -> RawRealtimeClient.open(vertx, gateway.port(), URI))
          .isInstanceOf(UpgradeRejectedException.class)
          .satisfies(e -> assertThat(((UpgradeRejectedException) e).getStatus()).isEqualTo(503));

      a.next("session.created");
      a.sendText(new JsonObject().put("type", "session.update").put("session", new JsonObject()
          .put("instructions", "x".repeat(4096))).encode());
      assertThat(a.next().getJsonObject("error").getString("code")).isEqualTo("message_too_large");
      await().atMost(Duration.ofSeconds(5)).until(() -> a.closeStatus() != null);
      assertThat(a.closeStatus()).isEqualTo((short) 1009);

      await().atMost(Duration.ofSeconds(5)).until(() -> b.closeStatus() != null);
      assertThat(b.closeStatus()).isEqualTo((short) 1000);
      try (RawRealtimeClient c = RawRealtimeClient.open(vertx, gateway.port(), URI)) {
        c.next("session.created");
      }
      a.close();
      b.close();
    }
  }
}
