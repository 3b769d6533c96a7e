package io.lmbridge.ingress.realtime;

import com.openai.client.okhttp.OkHttpClient;
import com.openai.core.ClientOptions;
import com.openai.core.JsonValue;
import com.openai.core.http.WebSocketWriteNotAttempted;
import com.openai.helpers.RealtimeConnection;
import com.openai.helpers.RealtimeWebSocketOptions;
import com.openai.models.realtime.ConversationItemCreateEvent;
import com.openai.models.realtime.RealtimeClientEvent;
import com.openai.models.realtime.RealtimeConversationItemFunctionCallOutput;
import com.openai.models.realtime.RealtimeConversationItemUserMessage;
import com.openai.models.realtime.RealtimeFunctionTool;
import com.openai.models.realtime.RealtimeResponse;
import com.openai.models.realtime.RealtimeServerEvent;
import com.openai.models.realtime.RealtimeSessionCreateRequest;
import com.openai.models.realtime.ResponseCancelEvent;
import com.openai.models.realtime.ResponseCreateEvent;
import com.openai.models.realtime.SessionUpdateEvent;
import io.lmbridge.testkit.GatewayFixture;
import io.lmbridge.testkit.OpenAiUpstream;
import io.lmbridge.testkit.OpenAiUpstream.Reply;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The official OpenAI Java SDK's {@code RealtimeConnection} (GA protocol) against the gateway over ws://. */
class RealtimeSdkTest {

  private static GatewayFixture fixture;
  private static OpenAiUpstream upstream;
  private static ClientOptions options;

  @BeforeAll
  static void start() {
    fixture = GatewayFixture.start();
    upstream = fixture.upstream();
    options = ClientOptions.builder()
        .httpClient(OkHttpClient.builder().timeout(Duration.ofSeconds(20)).build())
        .baseUrl(fixture.gateway().url("/v1"))
        .apiKey("client-key")
        .build();
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @BeforeEach
  void reset() {
    upstream.reply(Reply.text("Hello from the upstream"));
  }

  private static RealtimeConnection connect() {
    return RealtimeConnection.connect(options, RealtimeWebSocketOptions.builder().model("openai:gpt-4o").build());
  }

  private static RealtimeClientEvent userMessage(String text) {
    return RealtimeClientEvent.ofConversationItemCreate(ConversationItemCreateEvent.builder()
        .item(RealtimeConversationItemUserMessage.builder()
            .addContent(RealtimeConversationItemUserMessage.Content.builder()
                .type(RealtimeConversationItemUserMessage.Content.Type.INPUT_TEXT).text(text).build())
            .build())
        .build());
  }

  /**
   * Sends a client event and waits for the server's acknowledgement, which keeps one event at a time
   * in OkHttp's queue.
   */
  private static void sendAndAwait(RealtimeConnection connection, RealtimeClientEvent event,
                                   Predicate<RealtimeServerEvent> acknowledgement) {
    send(connection, event);
    until(connection, acknowledgement);
  }

  /**
   * The SDK refuses a send ({@code Busy}, "send buffer is full; command was not queued") while OkHttp
   * has not yet counted the previous event as written, which can still be the case after the server
   * has answered it; nothing was queued, so the send is tried again.
   */
  private static void send(RealtimeConnection connection, RealtimeClientEvent event) {
    await().atMost(Duration.ofSeconds(5))
        .pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
        .ignoreException(WebSocketWriteNotAttempted.Busy.class)
        .until(() -> {
          connection.send(event);
          return true;
        });
  }

  private static RealtimeClientEvent responseCreate() {
    return RealtimeClientEvent.ofResponseCreate(ResponseCreateEvent.builder().build());
  }

  /** Every event up to and including the first that matches. */
  private static List<RealtimeServerEvent> until(RealtimeConnection connection, Predicate<RealtimeServerEvent> last) {
    List<RealtimeServerEvent> events = new ArrayList<>();
    RealtimeServerEvent event;
    do {
      event = connection.receive();
      events.add(event);
    } while (!last.test(event));
    return events;
  }

  private static String text(List<RealtimeServerEvent> events) {
    StringBuilder text = new StringBuilder();
    events.forEach(e -> e.responseOutputTextDelta().ifPresent(delta -> text.append(delta.delta())));
    return text.toString();
  }

  @Test
  void streamsTextAndReportsUsage() {
    try (RealtimeConnection connection = connect()) {
      assertThat(connection.receive().isSessionCreated()).isTrue();
      send(connection, RealtimeClientEvent.ofSessionUpdate(SessionUpdateEvent.builder()
          .session(RealtimeSessionCreateRequest.builder()
              .addOutputModality(RealtimeSessionCreateRequest.OutputModality.TEXT)
              .instructions("Be brief.")
              .build())
          .build()));
      RealtimeServerEvent updated = connection.receive();
      assertThat(updated.sessionUpdated().orElseThrow().session().asRealtimeSessionCreateRequest().instructions()).contains("Be brief.");

      sendAndAwait(connection, userMessage("Say hello"), RealtimeServerEvent::isConversationItemDone);
      send(connection, responseCreate());
      List<RealtimeServerEvent> events = until(connection, RealtimeServerEvent::isResponseDone);

      assertThat(events).anyMatch(RealtimeServerEvent::isResponseCreated);
      assertThat(text(events)).isEqualTo("Hello from the upstream");
      assertThat(events.stream().filter(RealtimeServerEvent::isResponseOutputTextDone).findFirst().orElseThrow()
          .responseOutputTextDone().orElseThrow().text()).isEqualTo("Hello from the upstream");
      RealtimeResponse response = events.get(events.size() - 1).responseDone().orElseThrow().response();
      assertThat(response.status()).contains(RealtimeResponse.Status.COMPLETED);
      assertThat(response.usage().orElseThrow().totalTokens()).contains(18L);
      assertThat(response.output()).hasValueSatisfying(output -> assertThat(output).hasSize(1));
      assertThat(upstream.last().body().getJsonArray("messages")).isEqualTo(new JsonArray()
          .add(new JsonObject().put("role", "system").put("content", "Be brief."))
          .add(new JsonObject().put("role", "user").put("content", "Say hello")));
    }
  }

  @Test
  void toolCallThenItsOutputThenTheAnswer() {
    upstream.replyOnce(Reply.toolCall("get_weather", "{\"city\":\"Paris\"}"));
    try (RealtimeConnection connection = connect()) {
      connection.receive();
      send(connection, RealtimeClientEvent.ofSessionUpdate(SessionUpdateEvent.builder()
          .session(RealtimeSessionCreateRequest.builder()
              .addOutputModality(RealtimeSessionCreateRequest.OutputModality.TEXT)
              .addTool(RealtimeFunctionTool.builder().type(RealtimeFunctionTool.Type.FUNCTION).name("get_weather")
                  .description("Weather in a city")
                  .parameters(JsonValue.from(Map.of("type", "object",
                      "properties", Map.of("city", Map.of("type", "string")))))
                  .build())
              .build())
          .build()));
      connection.receive();
      sendAndAwait(connection, userMessage("Weather in Paris?"), RealtimeServerEvent::isConversationItemDone);
      send(connection, responseCreate());
      List<RealtimeServerEvent> events = until(connection, RealtimeServerEvent::isResponseDone);

      var arguments = events.stream().filter(RealtimeServerEvent::isResponseFunctionCallArgumentsDone).findFirst()
          .orElseThrow().responseFunctionCallArgumentsDone().orElseThrow();
      assertThat(arguments.name()).isEqualTo("get_weather");
      assertThat(arguments.arguments()).isEqualTo("{\"city\":\"Paris\"}");
      assertThat(upstream.last().body().getJsonArray("tools").getJsonObject(0).getJsonObject("function")
          .getString("name")).isEqualTo("get_weather");

      sendAndAwait(connection, RealtimeClientEvent.ofConversationItemCreate(ConversationItemCreateEvent.builder()
          .item(RealtimeConversationItemFunctionCallOutput.builder().callId(arguments.callId())
              .output("{\"celsius\":21}").build())
          .build()), RealtimeServerEvent::isConversationItemDone);
      send(connection, responseCreate());
      events = until(connection, RealtimeServerEvent::isResponseDone);
      assertThat(text(events)).isEqualTo("Hello from the upstream");

      JsonArray messages = upstream.last().body().getJsonArray("messages");
      assertThat(messages).hasSize(3);
      assertThat(messages.getJsonObject(1).getJsonArray("tool_calls").getJsonObject(0).getString("id"))
          .isEqualTo(arguments.callId());
      assertThat(messages.getJsonObject(2)).isEqualTo(new JsonObject().put("role", "tool")
          .put("tool_call_id", arguments.callId()).put("content", "{\"celsius\":21}"));
    }
  }

  @Test
  void cancelStopsTheUpstream() {
    upstream.reply(Reply.text("a b c d e f g h i j k l m n o p q r s t").delayed(200));
    int before = upstream.disconnects();
    try (RealtimeConnection connection = connect()) {
      connection.receive();
      sendAndAwait(connection, userMessage("Talk at length"), RealtimeServerEvent::isConversationItemDone);
      send(connection, responseCreate());
      until(connection, RealtimeServerEvent::isResponseOutputTextDelta);
      send(connection, RealtimeClientEvent.ofResponseCancel(ResponseCancelEvent.builder().build()));
      List<RealtimeServerEvent> events = until(connection, RealtimeServerEvent::isResponseDone);

      RealtimeResponse response = events.get(events.size() - 1).responseDone().orElseThrow().response();
      assertThat(response.status()).contains(RealtimeResponse.Status.CANCELLED);
      assertThat(text(events).length()).isLessThan("a b c d e f g h i j k l m n o p q r s t".length());
      await().atMost(Duration.ofSeconds(5)).until(() -> upstream.disconnects() == before + 1);
    }
  }
}
