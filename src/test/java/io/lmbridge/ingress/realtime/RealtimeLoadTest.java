package io.lmbridge.ingress.realtime;

import io.lmbridge.testkit.GatewayFixture;
import io.lmbridge.testkit.OpenAiUpstream.Reply;
import io.lmbridge.testkit.ScriptedUpstream.Received;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static io.lmbridge.ingress.realtime.ClientEvents.createItem;
import static io.lmbridge.ingress.realtime.ClientEvents.event;
import static io.lmbridge.ingress.realtime.ClientEvents.joined;
import static io.lmbridge.ingress.realtime.ClientEvents.types;
import static io.lmbridge.ingress.realtime.ClientEvents.userMessage;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many sessions at once against a streaming upstream: every one gets its whole answer and no error,
 * and each upstream call carries its own session's instructions and message. The figure
 * (200 sessions) is measured by {@code scripts/bench-realtime.sh}; this is the same load, smaller.
 */
class RealtimeLoadTest {

  private static final int SESSIONS = 40;
  private static final String ANSWER = "one two three four five six seven eight nine ten";

  @Test
  void concurrentSessionsEachStreamTheirWholeAnswer() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(SESSIONS);
    try (GatewayFixture fixture = GatewayFixture.start()) {
      // A pause between stream events keeps each response in flight while the others stream.
      fixture.upstream().reply(Reply.text(ANSWER).delayed(20));
      // No response starts before every session is open, so all of them are open at once.
      CyclicBarrier allOpen = new CyclicBarrier(SESSIONS);
      List<Future<List<JsonObject>>> sessions = new ArrayList<>();
      for (int i = 0; i < SESSIONS; i++) {
        int session = i;
        sessions.add(threads.submit(() -> converse(fixture, session, allOpen)));
      }

      for (Future<List<JsonObject>> session : sessions) {
        List<JsonObject> events = session.get(30, TimeUnit.SECONDS);
        assertThat(types(events)).doesNotContain("error");
        assertThat(joined(events, "response.output_text.delta")).isEqualTo(ANSWER);
        assertThat(events.get(events.size() - 1).getJsonObject("response").getString("status"))
            .isEqualTo("completed");
      }
      assertThat(fixture.upstream().received()).extracting(Received::messages)
          .containsExactlyInAnyOrderElementsOf(IntStream.range(0, SESSIONS).mapToObj(RealtimeLoadTest::sent)
              .toList());
    } finally {
      threads.shutdownNow();
    }
  }

  /** One session's events from its session.update to its response.done. */
  private static List<JsonObject> converse(GatewayFixture fixture, int session, CyclicBarrier allOpen)
      throws Exception {
    try (RawRealtimeClient client = RawRealtimeClient.open(fixture.vertx(), fixture.gateway().port(),
        "/v1/realtime?model=openai:gpt-4o")) {
      client.next("session.created");
      allOpen.await(20, TimeUnit.SECONDS);
      client.send(event("session.update").put("session", new JsonObject().put("type", "realtime")
          .put("instructions", "You are session " + session)));
      client.send(createItem(userMessage("Question " + session)));
      client.send(event("response.create"));
      return client.until("response.done");
    }
  }

  /** The messages the upstream must receive from {@code session}. */
  private static JsonArray sent(int session) {
    return new JsonArray()
        .add(new JsonObject().put("role", "system").put("content", "You are session " + session))
        .add(new JsonObject().put("role", "user").put("content", "Question " + session));
  }
}
