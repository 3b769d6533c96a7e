package io.lmbridge.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

  @TempDir
  Path dir;

  private ConfigSources sources(String json, String env, Map<String, String> environment, JsonObject cli)
      throws IOException {
    Path jsonFile = dir.resolve("gateway.json");
    Path envFile = dir.resolve("lmbridge.env");
    Files.deleteIfExists(jsonFile);
    Files.deleteIfExists(envFile);
    if (json != null) {
      Files.writeString(jsonFile, json);
    }
    if (env != null) {
      Files.writeString(envFile, env);
    }
    return new ConfigSources(jsonFile, List.of(envFile), List.of(), environment, cli);
  }

  @Test
  void builtInDefaultsAloneAreAWorkingConfig() throws IOException {
    GatewayConfig config = ConfigLoader.load(sources(null, null, Map.of(), new JsonObject()));
    assertThat(config.server().host()).isEqualTo("127.0.0.1");
    assertThat(config.server().port()).isEqualTo(8080);
    assertThat(config.provider("openai").orElseThrow().baseUrl()).isEqualTo("https://api.openai.com/v1");
    assertThat(config.provider("xai").orElseThrow().baseUrl()).isEqualTo("https://api.x.ai/v1");
    assertThat(config.provider("openai").orElseThrow().hasKey()).isFalse();
    assertThat(config.cluster().enabled()).isFalse();
    assertThat(config.sqliteDbPath()).isEqualTo("./lmbridge.sqlite");
  }

  @Test
  void laterLayersWin() throws IOException {
    String json = "{\"server\": {\"port\": 9000, \"host\": \"0.0.0.0\"}, \"log_level\": \"debug\"}";
    assertThat(ConfigLoader.load(sources(json, null, Map.of(), new JsonObject())).server().port()).isEqualTo(9000);
    assertThat(ConfigLoader.load(sources(json, "GATEWAY_PORT=9100", Map.of(), new JsonObject())).server().port())
        .isEqualTo(9100);
    GatewayConfig environment = ConfigLoader.load(sources(json, "GATEWAY_PORT=9100",
        Map.of("GATEWAY_PORT", "9200"), new JsonObject()));
    assertThat(environment.server().port()).isEqualTo(9200);
    assertThat(environment.server().host()).isEqualTo("0.0.0.0");
    assertThat(environment.logLevel()).isEqualTo("debug");
    GatewayConfig cli = ConfigLoader.load(sources(json, "GATEWAY_PORT=9100", Map.of("GATEWAY_PORT", "9200"),
        new JsonObject().put("server", new JsonObject().put("port", 9300))));
    assertThat(cli.server().port()).isEqualTo(9300);
  }

  @Test
  void everyOriginalVariableIsHonoured() throws IOException {
    Map<String, String> environment = Map.ofEntries(
        Map.entry("GATEWAY_HOST", "0.0.0.0"), Map.entry("GATEWAY_PORT", "9999"),
        Map.entry("OPENAI_API_KEY", "sk-o"), Map.entry("XAI_API_KEY", "xai-k"),
        Map.entry("OPENAI_BASE_URL", "http://127.0.0.1:1/v1/"), Map.entry("XAI_BASE_URL", "http://127.0.0.1:2/v1"),
        Map.entry("LLAMA_MODEL_DIR", "/models"), Map.entry("LLAMA_ENGINE", "java-llama.cpp"),
        Map.entry("LLAMA_GPU_LAYERS", "-1"),
        Map.entry("LLAMA_THREADS", "4"), Map.entry("LLAMA_TOP_K", "20"), Map.entry("LLAMA_TOP_P", "0.8"),
        Map.entry("LLAMA_STRUCTURED_MODE", "strict"), Map.entry("LLAMA_STRUCTURED_PLAN", "system"),
        Map.entry("LOG_LEVEL", "WARN"), Map.entry("SQLITE_DB_PATH", "/tmp/x.sqlite"),
        Map.entry("CACHE_ENABLED", "false"), Map.entry("CACHE_TTL_SECONDS", "60"));
    GatewayConfig config = ConfigLoader.load(sources(null, null, environment, new JsonObject()));
    assertThat(config.server().host()).isEqualTo("0.0.0.0");
    assertThat(config.server().port()).isEqualTo(9999);
    assertThat(config.provider("openai").orElseThrow().apiKey()).isEqualTo("sk-o");
    assertThat(config.provider("openai").orElseThrow().baseUrl()).isEqualTo("http://127.0.0.1:1/v1");
    assertThat(config.provider("xai").orElseThrow().apiKey()).isEqualTo("xai-k");
    assertThat(config.provider("xai").orElseThrow().baseUrl()).isEqualTo("http://127.0.0.1:2/v1");
    assertThat(config.llama()).extracting(LlamaConfig::modelDir, LlamaConfig::engine, LlamaConfig::gpuLayers,
            LlamaConfig::threads, LlamaConfig::topK, LlamaConfig::topP, LlamaConfig::structuredMode,
            LlamaConfig::structuredPlan)
        .containsExactly("/models", LlamaEngine.JAVA_LLAMA_CPP, -1, 4, 20, 0.8, StructuredMode.STRICT,
            StructuredPlan.SYSTEM);
    assertThat(config.logLevel()).isEqualTo("warn");
    assertThat(config.sqliteDbPath()).isEqualTo("/tmp/x.sqlite");
    assertThat(config.cache()).isEqualTo(new CacheConfig(false, 60, 10000, 67108864));
  }

  @Test
  void envFilesReadLikeDockerAndSystemdOnes() {
    Map<String, String> values = EnvFile.parse("""
        # a comment
        OPENAI_API_KEY=sk-plain
        export XAI_API_KEY="sk quoted"
        GOOGLE_API_KEY='single'
        LOG_LEVEL=debug # trailing comment

        """, "test.env");
    assertThat(values).containsExactlyInAnyOrderEntriesOf(Map.of("OPENAI_API_KEY", "sk-plain",
        "XAI_API_KEY", "sk quoted", "GOOGLE_API_KEY", "single", "LOG_LEVEL", "debug"));
    assertThatThrownBy(() -> EnvFile.parse("just words", "test.env"))
        .hasMessage("test.env line 1: expected KEY=value");
  }

  @Test
  void declaredProvidersAndAliases() throws IOException {
    String json = """
        {"providers": {"groq": {"base_url": "https://api.groq.com/openai/v1", "models": ["llama-3.3-70b"]},
                       "local-vllm": {"base_url": "http://127.0.0.1:8000/v1", "api_key_env": "VLLM_TOKEN",
                                      "headers": {"X-Team": "infra"}}},
         "aliases": {"fast": "openai:gpt-4o-mini", "big": "groq:llama-3.3-70b"},
         "default_provider": "groq"}""";
    GatewayConfig config = ConfigLoader.load(sources(json, "GROQ_API_KEY=gk\nVLLM_TOKEN=vt", Map.of(),
        new JsonObject()));
    ProviderConfig groq = config.provider("groq").orElseThrow();
    assertThat(groq.apiKey()).isEqualTo("gk");
    assertThat(groq.maxTokensField()).isEqualTo("max_tokens");
    assertThat(groq.models()).containsExactly("llama-3.3-70b");
    ProviderConfig vllm = config.provider("local-vllm").orElseThrow();
    assertThat(vllm.apiKey()).isEqualTo("vt");
    assertThat(vllm.headers()).containsEntry("X-Team", "infra");
    assertThat(config.aliases()).containsEntry("fast", "openai:gpt-4o-mini");
    assertThat(config.defaultProvider()).isEqualTo("groq");
    assertThat(config.provider("openai")).isPresent();
  }

  @Test
  void errorsNameTheFileAndTheField() throws IOException {
    assertThatThrownBy(() -> ConfigLoader.load(sources("{\"server\": {", null, Map.of(), new JsonObject())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("gateway.json is not valid JSON: Unexpected end-of-input")
        .hasMessageEndingWith(" at line 1, column 13")
        .hasMessageNotContaining("Source");
    assertThatThrownBy(() -> ConfigLoader.load(sources("[1]", null, Map.of(), new JsonObject())))
        .isInstanceOf(ConfigException.class).hasMessageEndingWith("gateway.json must be a JSON object");
    assertThatThrownBy(() -> ConfigLoader.load(sources("{\"server\": {\"port\": \"eighty\"}}", null, Map.of(),
        new JsonObject())))
        .hasMessageEndingWith("gateway.json: server.port: Instance type string is invalid. Expected integer")
        .hasMessageNotContaining("does not match");
    assertThatThrownBy(() -> ConfigLoader.load(sources("{\"provders\": {}}", null, Map.of(), new JsonObject())))
        .hasMessageEndingWith("gateway.json: provders: not a known setting");
    assertThatThrownBy(() -> ConfigLoader.load(sources(
        "{\"providers\": {\"x\": {\"base_url\": \"http://x\", \"models\": [\"a\", 1]}}}", null, Map.of(),
        new JsonObject())))
        .hasMessageEndingWith("gateway.json: providers.x.models.1: Instance type number is invalid. Expected string");
    assertThatThrownBy(() -> ConfigLoader.load(sources(null, "GATEWAY_PORT=abc", Map.of(), new JsonObject())))
        .hasMessageContaining("GATEWAY_PORT in " + dir.resolve("lmbridge.env")).hasMessageContaining("'abc' is not an integer");
    assertThatThrownBy(() -> ConfigLoader.load(sources(null, null, Map.of("LOG_LEVEL", "chatty"), new JsonObject())))
        .hasMessageContaining("LOG_LEVEL in the environment: log_level");
    assertThatThrownBy(() -> ConfigLoader.load(sources("{\"aliases\": {\"x\": \"nowhere:m\"}}", null, Map.of(),
        new JsonObject())))
        .hasMessageContaining("aliases.x").hasMessageContaining("nowhere:m");
  }

  @Test
  void secretsStayOutOfMessages() throws IOException {
    GatewayConfig config = ConfigLoader.load(sources(null, "OPENAI_API_KEY=sk-very-secret", Map.of(),
        new JsonObject()));
    assertThat(config.toString()).doesNotContain("sk-very-secret");
    assertThatThrownBy(() -> ConfigLoader.load(sources("{\"providers\": {\"openai\": {\"api_key\": 5}}}",
        "OPENAI_API_KEY=sk-very-secret", Map.of(), new JsonObject())))
        .hasMessageContaining("providers.openai.api_key").hasMessageNotContaining("sk-very-secret");
  }
}
