package io.lmbridge.local;

import io.lmbridge.testkit.Http;
import io.lmbridge.testkit.TestGateway;
import io.lmbridge.testkit.TinyGguf;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runners as processes: loading, unloading (the process and its memory go), the loaded-model bound,
 * a runner killed mid-stream (the client gets an error, the gateway lives, the next request reloads),
 * cancellation that frees the only slot, the queue bound, and files that are not models.
 */
class LocalModelLifecycleTest {

  private static Vertx vertx;
  private static TestGateway gateway;
  private static Http http;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    Path models = Files.createTempDirectory("lmbridge-models");
    TinyGguf.writeEndless(models, "first-Q4_K_M.gguf");
    TinyGguf.write(models, "second.gguf");
    Files.writeString(models.resolve("broken.gguf"), "this is not a model");
    TinyGguf.writeArchitectureOnly(models, "Future-Model-Q8_0.gguf", "no-such-architecture");
    gateway = TestGateway.withLocalModels(models, new JsonObject().put("context_size", 8192).put("slots", 1)
        .put("max_queue", 0).put("max_loaded", 1));
    http = new Http(vertx, gateway.port());
  }

  @AfterAll
  static void stop() {
    gateway.close();
    vertx.close().await();
  }

  @Test
  void loadUnloadAndTheLoadedModelBound() {
    JsonObject first = http.post("/v1/llama/models/load", new JsonObject().put("model", "first").put("gpu_layers", 0))
        .json();
    assertThat(first.getBoolean("loaded")).isTrue();
    long firstPid = first.getLong("pid");
    assertThat(first.getLong("memory_bytes")).isPositive();
    // GPU figures come from nvidia-smi: present as fields everywhere, filled only where a driver is.
    assertThat(first.fieldNames()).contains("gpu_memory_bytes", "gpus");
    assertThat(first.getJsonArray("gpus")).isNotNull();

    JsonObject second = http.post("/v1/llama/models/load", new JsonObject().put("model", "lmbridge:second")).json();
    assertThat(second.getBoolean("loaded")).isTrue();
    await().until(() -> ProcessHandle.of(firstPid).isEmpty());
    assertThat(model("first").getBoolean("loaded")).isFalse();

    JsonObject unloaded = http.post("/v1/llama/models/unload", new JsonObject().put("model", "second")).json();
    assertThat(unloaded.getBoolean("loaded")).isFalse();
    assertThat(ProcessHandle.of(second.getLong("pid"))).isEmpty();
    assertThat(unloaded.getJsonArray("gpus")).isNotNull();
    assertThat(http.get("/v1/service/status").json().getJsonArray("models")).isEmpty();
    assertThat(http.get("/v1/service/status").json().getJsonArray("gpus")).isNotNull();
  }

  @Test
  void aRunnerKilledMidStreamFailsTheStreamAndTheNextRequestReloads() {
    http.post("/v1/llama/models/load", new JsonObject().put("model", "first"));
    long pid = model("first").getLong("pid");
    Promise<Void> generating = Promise.promise();
    Future<String> stream = post(chat(true, 8000), generating);
    generating.future().await();
    try (Warnings warnings = new Warnings()) {
      ProcessHandle.of(pid).orElseThrow().destroyForcibly();

      assertThat(stream.await()).contains("\"code\":\"model_unavailable\"").contains("stopped unexpectedly");
      // The death is a warning, with the exit status (killed: 128 + SIGKILL).
      await().until(() -> warnings.contain("the runner of local model 'first' stopped unexpectedly (exit code 137)"));
    }
    assertThat(http.get("/health").status()).isEqualTo(200);
    Http.Reply next = http.post("/v1/chat/completions", chat(false, 4));
    assertThat(next.status()).isEqualTo(200);
    long reloaded = model("first").getLong("pid");
    assertThat(reloaded).isNotEqualTo(pid);

    // A second crash in a row is a loop: the model is retried after a pause, not at once.
    ProcessHandle.of(reloaded).orElseThrow().destroyForcibly();
    await().until(() -> !model("first").getBoolean("loaded"));
    Http.Reply pausing = http.post("/v1/chat/completions", chat(false, 4));
    assertThat(pausing.status()).isEqualTo(503);
    assertThat(pausing.headers().get("retry-after")).isNotNull();
    assertThat(pausing.error().getString("message")).contains("failed 2 times in a row");
    await().atMost(Duration.ofSeconds(20)).until(() -> http.post("/v1/chat/completions", chat(false, 4)).status() == 200);
  }

  @Test
  void aDisconnectFreesTheOnlySlotAndABusyModelAnswers429() throws Exception {
    http.post("/v1/llama/models/load", new JsonObject().put("model", "first"));
    HttpClient client = vertx.createHttpClient();
    var request = client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
        .setPort(gateway.port()).setURI("/v1/chat/completions")).await();
    var response = request.send(chat(true, 8000).encode()).await();
    assertThat(response.statusCode()).isEqualTo(200);

    Http.Reply busy = http.post("/v1/chat/completions", chat(false, 4));
    assertThat(busy.status()).isEqualTo(429);
    assertThat(busy.error().getString("code")).isEqualTo("model_busy");

    request.connection().close().await();
    await().until(() -> http.post("/v1/chat/completions", chat(false, 4)).status() == 200);
  }

  @Test
  void filesThatCannotBeLoadedAreRefusedWithTheReason() throws Exception {
    Http.Reply broken = http.post("/v1/llama/models/load", new JsonObject().put("model", "broken"));
    assertThat(broken.status()).isEqualTo(400);
    assertThat(broken.error().getString("message")).contains("not a GGUF file");

    try (Warnings warnings = new Warnings()) {
      Http.Reply unknown = http.post("/v1/llama/models/load", new JsonObject().put("model", "future-model"));
      assertThat(unknown.status()).isEqualTo(400);
      assertThat(unknown.error().getString("message")).contains("'no-such-architecture'")
          .contains("unknown model architecture");
      // The gateway's log has the runner's own last lines too, the engine's and its main's.
      await().until(() -> warnings.contain("its last output:") && warnings.contain("could not load"));
    }
    assertThat(model("future-model").getString("last_error")).contains("'no-such-architecture'");

    TinyGguf.write(Path.of(model("first").getString("path")).getParent(), "Later-Arrival.gguf");
    assertThat(model("later-arrival").getBoolean("loaded")).isFalse();
  }

  private static JsonObject model(String name) {
    for (Object model : http.get("/v1/llama/models").json().getJsonArray("models")) {
      if (((JsonObject) model).getString("name").equals(name)) {
        return (JsonObject) model;
      }
    }
    throw new AssertionError("no model " + name);
  }

  private static JsonObject chat(boolean stream, int maxTokens) {
    return new JsonObject().put("model", "lmbridge:first").put("stream", stream).put("max_tokens", maxTokens)
        .put("temperature", 1.0)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "go on")));
  }

  /** The whole streamed answer; {@code generating} completes once its text has begun. */
  private static Future<String> post(JsonObject body, Promise<Void> generating) {
    return vertx.createHttpClient().request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
            .setPort(gateway.port()).setURI("/v1/chat/completions"))
        .compose(request -> request.send(body.encode()))
        .compose(response -> {
          StringBuilder received = new StringBuilder();
          response.handler(chunk -> {
            received.append(chunk);
            if (received.indexOf("\"content\":\"") >= 0) {
              generating.tryComplete();
            }
          });
          return response.end().map(v -> received.toString());
        });
  }

  /** The warnings the local-model manager logs while this is open. */
  private static final class Warnings extends Handler implements AutoCloseable {

    private final Logger manager = Logger.getLogger(LocalModelsVerticle.class.getName());
    private final List<String> messages = new CopyOnWriteArrayList<>();

    Warnings() {
      manager.addHandler(this);
    }

    boolean contain(String text) {
      return messages.stream().anyMatch(message -> message.contains(text));
    }

    @Override
    public void publish(LogRecord record) {
      if (record.getLevel() == Level.WARNING) {
        messages.add(record.getMessage());
      }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
      manager.removeHandler(this);
    }
  }
}
