package io.lmbridge.service;

import io.lmbridge.testkit.GatewayFixture;
import io.lmbridge.testkit.LogDatabase;
import io.lmbridge.testkit.OpenAiUpstream;
import io.lmbridge.testkit.OpenAiUpstream.Reply;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code POST /v1/service/shutdown} on a real gateway process: requests in flight are answered, the
 * log has every row, and the process exits with 0.
 */
class ShutdownTest {

  private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

  @Test
  void theProcessDrainsFlushesTheLogAndExitsWithZero() throws Exception {
    Vertx vertx = Vertx.vertx();
    Process gateway = null;
    try {
      OpenAiUpstream upstream = OpenAiUpstream.start(vertx, GatewayFixture.KEY).await();
      upstream.reply(Reply.text("answered while shutting down").delayed(700));
      Path dir = Files.createTempDirectory("lmbridge-shutdown");
      Path log = dir.resolve("log.sqlite");
      Files.writeString(dir.resolve("gateway.json"), new JsonObject()
          .put("server", new JsonObject().put("port", 0).put("instances", 1))
          .put("sqlite_db_path", log.toString())
          .put("providers", new JsonObject().put("openai", new JsonObject().put("base_url", upstream.baseUrl())))
          .encode());
      Files.writeString(dir.resolve("lmbridge.env"), "OPENAI_API_KEY=" + GatewayFixture.KEY + "\n");
      gateway = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), "io.lmbridge.Main",
          "--config", dir.resolve("gateway.json").toString(), "--env-file", dir.resolve("lmbridge.env").toString())
          .redirectErrorStream(true).start();
      int port = portOf(gateway).get(60, TimeUnit.SECONDS);

      int requests = 50;
      HttpClient client = vertx.createHttpClient(new PoolOptions().setHttp1MaxSize(requests));
      List<Future<Integer>> statuses = new ArrayList<>();
      for (int i = 0; i < requests; i++) {
        statuses.add(post(client, port, "/v1/chat/completions", new JsonObject().put("model", "openai:gpt-4o")
            .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "n" + i)))));
      }
      await().until(() -> upstream.received().size() == requests);

      assertThat(post(vertx.createHttpClient(), port, "/v1/service/shutdown", new JsonObject()).await())
          .isEqualTo(202);

      assertThat(Future.all(statuses).await().<Integer>list()).hasSize(requests).containsOnly(200);
      assertThat(gateway.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(gateway.exitValue()).isZero();
      assertThat(LogDatabase.count(log, "status = 200")).isEqualTo(requests);
    } finally {
      if (gateway != null) {
        gateway.destroyForcibly();
      }
      vertx.close().await();
    }
  }

  private static Future<Integer> post(HttpClient client, int port, String path, JsonObject body) {
    return client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
            .setURI(path))
        .compose(request -> request.send(body.encode()))
        .compose(response -> response.body().map(ignored -> response.statusCode()));
  }

  /** Reads the child's output (which must be drained anyway) until it says where it listens. */
  private static CompletableFuture<Integer> portOf(Process process) {
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          Matcher listening = LISTENING.matcher(line);
          if (listening.find()) {
            port.complete(Integer.parseInt(listening.group(1)));
          }
        }
        port.completeExceptionally(new IllegalStateException("the gateway exited before listening"));
      } catch (java.io.IOException e) {
        port.completeExceptionally(e);
      }
    }, "gateway-output");
    reader.setDaemon(true);
    reader.start();
    return port;
  }
}
