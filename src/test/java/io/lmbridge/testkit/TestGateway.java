package io.lmbridge.testkit;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import io.lmbridge.config.ConfigSources;
import io.lmbridge.node.LogLevels;
import io.lmbridge.node.Node;
import io.lmbridge.node.NodeSettings;
import io.lmbridge.node.Role;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A real gateway node on a free port, configured from files in its own temporary directory (the
 * JSON file and an env file, as an operator would write them) and an empty process environment,
 * so tests never depend on the machine's variables. Its request log is a SQLite file in that
 * directory, and its cache and local models are off unless the test's config turns them on.
 */
public final class TestGateway implements AutoCloseable {

  static {
    LogLevels.install();
  }

  private final Path dir;
  private final Node node;

  private TestGateway(Path dir, Node node) {
    this.dir = dir;
    this.node = node;
  }

  public static TestGateway start(JsonObject json, String envFile) {
    return start(json, envFile, EnumSet.allOf(Role.class));
  }

  public static TestGateway start(JsonObject json, String envFile, Set<Role> roles) {
    try {
      Path dir = Files.createTempDirectory("lmbridge-test");
      JsonObject withDefaults = json.copy();
      JsonObject server = withDefaults.getJsonObject("server", new JsonObject());
      server.put("port", server.getInteger("port", 0)).put("instances", server.getInteger("instances", 1));
      withDefaults.put("server", server);
      // Most tests script their upstream per test and must reach it: the cache tests turn it on.
      if (!withDefaults.containsKey("cache")) {
        withDefaults.put("cache", new JsonObject().put("enabled", false));
      }
      // Local models start runner processes and a private Hazelcast: only the tests of local models want that.
      if (!withDefaults.containsKey("llama")) {
        withDefaults.put("llama", new JsonObject().put("enabled", false));
      }
      if (!withDefaults.containsKey("sqlite_db_path")) {
        withDefaults.put("sqlite_db_path", dir.resolve("lmbridge.sqlite").toString());
      }
      Files.writeString(dir.resolve("gateway.json"), withDefaults.encodePrettily());
      Files.writeString(dir.resolve("lmbridge.env"), envFile);
      ConfigSources sources = new ConfigSources(dir.resolve("gateway.json"), List.of(dir.resolve("lmbridge.env")),
          List.of(), Map.of(), new JsonObject());
      Node node = Node.start(new NodeSettings(sources, roles)).await();
      return new TestGateway(dir, node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Config pointing the {@code openai} provider at a test upstream, with its key in the env file. */
  public static TestGateway withOpenAi(OpenAiUpstream upstream) {
    return withOpenAi(upstream, new JsonObject());
  }

  /** The same, over the rest of {@code config} (which may declare more providers). */
  public static TestGateway withOpenAi(OpenAiUpstream upstream, JsonObject config) {
    JsonObject json = config.copy();
    JsonObject providers = json.getJsonObject("providers", new JsonObject());
    json.put("providers", providers.put("openai", new JsonObject().put("base_url", upstream.baseUrl())));
    return start(json, "OPENAI_API_KEY=" + GatewayFixture.KEY + "\n");
  }

  /**
   * A gateway serving the GGUF files in {@code models} as local models, with these {@code llama}
   * settings; each runner decodes on one thread, since the suite shares two cores.
   */
  public static TestGateway withLocalModels(Path models, JsonObject llama) {
    return withLocalModels(models, llama, new JsonObject());
  }

  /** The same, over the rest of {@code config}. */
  public static TestGateway withLocalModels(Path models, JsonObject llama, JsonObject config) {
    return start(config.copy().put("llama", llama.copy().put("model_dir", models.toString()).put("threads", 1)), "");
  }

  public Node node() {
    return node;
  }

  public int port() {
    return node.port();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  public OpenAIClient openAi() {
    return OpenAIOkHttpClient.builder()
        .baseUrl(url("/v1"))
        .apiKey("client-key")
        .maxRetries(0)
        .timeout(Duration.ofSeconds(20))
        .build();
  }

  /** The request log's SQLite file. */
  public Path logFile() {
    return Path.of(node.config().get().sqliteDbPath());
  }

  public Path jsonFile() {
    return dir.resolve("gateway.json");
  }

  public Path envFile() {
    return dir.resolve("lmbridge.env");
  }

  /** Rewrites a config file in place, as an editor would. */
  public void write(Path file, String content) {
    try {
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    node.stop();
  }
}
