package io.lmbridge.logging;

import io.lmbridge.testkit.GatewayFixture;
import io.lmbridge.testkit.Http;
import io.lmbridge.testkit.LogDatabase;
import io.lmbridge.testkit.OpenAiUpstream;
import io.lmbridge.testkit.OpenAiUpstream.Reply;
import io.lmbridge.testkit.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The log never fails a request, and loses no row on a locked disk, a restart or a graceful shutdown. */
class RequestLogDurabilityTest {

  private static Vertx vertx;
  private static OpenAiUpstream upstream;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    upstream = OpenAiUpstream.start(vertx, GatewayFixture.KEY).await();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @Test
  void aLockedDatabaseDelaysRowsButNotRequests() throws Exception {
    try (TestGateway gateway = gateway(new JsonObject())) {
      Http http = new Http(vertx, gateway.port());
      http.post("/v1/chat/completions", chat("before the lock"));
      await().until(() -> LogDatabase.count(gateway.logFile(), "1 = 1") == 1);
      try (Connection lock = LogDatabase.open(gateway.logFile()); Statement statement = lock.createStatement()) {
        statement.execute("BEGIN EXCLUSIVE");
        for (int i = 0; i < 5; i++) {
          assertThat(http.post("/v1/chat/completions", chat("while locked " + i)).status()).isEqualTo(200);
        }
        await().until(() -> logStatus(http).getString("last_error") != null);
        assertThat(logStatus(http).getInteger("rows_queued")).isEqualTo(5);
        statement.execute("COMMIT");
      }
      await().until(() -> LogDatabase.count(gateway.logFile(), "1 = 1") == 6);
      await().until(() -> logStatus(http).getString("last_error") == null);
      assertThat(logStatus(http).getLong("rows_dropped")).isZero();
    }
  }

  @Test
  void aDatabaseThatCannotBeCreatedShowsInTheStatus() throws Exception {
    Path notADirectory = Files.createTempFile("lmbridge", ".file");
    try (TestGateway gateway = gateway(new JsonObject()
        .put("sqlite_db_path", notADirectory.resolve("log.sqlite").toString()))) {
      Http http = new Http(vertx, gateway.port());
      assertThat(http.post("/v1/chat/completions", chat("no disk")).status()).isEqualTo(200);
      await().until(() -> logStatus(http).getString("last_error") != null);
      assertThat(logStatus(http).getString("last_error")).contains("log.sqlite");
      assertThat(http.get("/v1/service/status").json().getString("status")).isEqualTo("ok");
    }
  }

  @Test
  void rowsOlderThanTheRetentionArePurged() throws Exception {
    Path file = Files.createTempDirectory("lmbridge-purge").resolve("log.sqlite");
    JsonObject config = new JsonObject().put("sqlite_db_path", file.toString())
        .put("request_log", new JsonObject().put("retention_days", 30));
    try (TestGateway gateway = gateway(config)) {
      new Http(vertx, gateway.port()).post("/v1/chat/completions", chat("recent"));
      await().until(() -> LogDatabase.count(file, "1 = 1") == 1);
    }
    long fortyDaysAgo = System.currentTimeMillis() - 40L * 24 * 3600 * 1000;
    try (Connection connection = LogDatabase.open(file); Statement statement = connection.createStatement()) {
      statement.execute("INSERT INTO requests (request_id, created_at, endpoint, dialect, stream, status, latency_ms,"
          + " cache_hit) VALUES ('old', " + fortyDaysAgo + ", '/v1/chat/completions', 'chat_completions', 0, 200, 1, 0)");
    }
    assertThat(LogDatabase.count(file, "request_id = 'old'")).isEqualTo(1);
    try (TestGateway restarted = gateway(config)) {
      await().until(() -> LogDatabase.count(file, "request_id = 'old'") == 0);
      assertThat(LogDatabase.count(file, "1 = 1")).isEqualTo(1);
    }
  }

  @Test
  void aBurstInFlightAtShutdownIsAnsweredAndLoggedInFull() {
    int requests = 200;
    upstream.reply(Reply.text("slow enough to be in flight").delayed(300));
    TestGateway gateway = gateway(new JsonObject());
    Path file = gateway.logFile();
    HttpClient client = vertx.createHttpClient(new io.vertx.core.http.PoolOptions().setHttp1MaxSize(requests));
    List<Future<Integer>> statuses = new ArrayList<>();
    try {
      for (int i = 0; i < requests; i++) {
        String prompt = "burst " + i;
        statuses.add(client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
                .setPort(gateway.port()).setURI("/v1/chat/completions"))
            .compose(request -> request.send(chat(prompt).encode()))
            .compose(response -> response.body().map(body -> response.statusCode())));
      }
      Http http = new Http(vertx, gateway.port());
      await().until(() -> http.get("/v1/service/status").json().getInteger("in_flight") == requests);
    } finally {
      upstream.reply(Reply.text("Hello from the upstream"));
      gateway.close();
    }
    assertThat(Future.all(statuses).await().<Integer>list()).hasSize(requests).containsOnly(200);
    assertThat(LogDatabase.count(file, "status = 200 AND prompt_tokens = 11")).isEqualTo(requests);
  }

  private static TestGateway gateway(JsonObject config) {
    return TestGateway.withOpenAi(upstream, config);
  }

  private static JsonObject logStatus(Http http) {
    return http.get("/v1/service/status").json().getJsonObject("request_log");
  }

  private static JsonObject chat(String prompt) {
    return new JsonObject().put("model", "openai:gpt-4o")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", prompt)));
  }
}
