package io.lmbridge.config;

import io.lmbridge.chat.JsonSyntax;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Builds a {@link GatewayConfig} from its {@link ConfigSources}. The merged document is validated
 * against {@code config-schema.json}; every error names where the bad value came from (the JSON
 * file, a variable and its env file, or the command line) and the field.
 */
public final class ConfigLoader {

  private static final String DEFAULTS = "built-in defaults";
  private static final JsonObject DEFAULT_DOCUMENT = new JsonObject(resource("/defaults.json"));
  private static final Validator VALIDATOR = Validator.create(
      JsonSchema.of(new JsonObject(resource("/config-schema.json"))),
      new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("https://lmbridge.local/")
          .setOutputFormat(OutputFormat.Basic));

  /** The original design's variables, and where each lands in the JSON document. */
  private static final List<Variable> VARIABLES = List.of(
      new Variable("GATEWAY_HOST", "/server/host", Kind.STRING),
      new Variable("GATEWAY_PORT", "/server/port", Kind.INTEGER),
      new Variable("LOG_LEVEL", "/log_level", Kind.LOWERCASE),
      new Variable("SQLITE_DB_PATH", "/sqlite_db_path", Kind.STRING),
      new Variable("CACHE_ENABLED", "/cache/enabled", Kind.BOOLEAN),
      new Variable("CACHE_TTL_SECONDS", "/cache/ttl_seconds", Kind.INTEGER),
      new Variable("LLAMA_MODEL_DIR", "/llama/model_dir", Kind.STRING),
      new Variable("LLAMA_ENGINE", "/llama/engine", Kind.STRING),
      new Variable("LLAMA_GPU_LAYERS", "/llama/gpu_layers", Kind.INTEGER),
      new Variable("LLAMA_THREADS", "/llama/threads", Kind.INTEGER),
      new Variable("LLAMA_TOP_K", "/llama/top_k", Kind.INTEGER),
      new Variable("LLAMA_TOP_P", "/llama/top_p", Kind.NUMBER),
      new Variable("LLAMA_STRUCTURED_MODE", "/llama/structured_mode", Kind.STRING),
      new Variable("LLAMA_STRUCTURED_PLAN", "/llama/structured_plan", Kind.STRING));

  private ConfigLoader() {
  }

  /** Reads every source now. Throws {@link ConfigException} with a message fit for an operator. */
  public static GatewayConfig load(ConfigSources sources) {
    for (Path path : sources.required()) {
      if (!Files.isRegularFile(path)) {
        throw new ConfigException(path + ": file not found");
      }
    }
    JsonObject document = DEFAULT_DOCUMENT.copy();
    Map<String, String> origins = new HashMap<>();
    JsonObject file = readJson(sources.jsonFile());
    String fileName = sources.jsonFile().toString();
    if (file != null) {
      merge(document, file);
    }

    Variables variables = Variables.read(sources);
    applyVariables(document, variables, origins);
    merge(document, sources.overrides());
    leaves(sources.overrides(), "").forEach(pointer -> origins.put(pointer, "the command line"));

    validate(document, pointer -> originOf(pointer, origins, file, fileName));
    return build(document, variables.values(), fileName);
  }

  /** The original design's variables and each provider's {@code NAME_BASE_URL} override the document. */
  private static void applyVariables(JsonObject document, Variables variables, Map<String, String> origins) {
    for (Variable variable : VARIABLES) {
      String value = variables.values().get(variable.name());
      if (value != null) {
        String origin = variables.origins().get(variable.name());
        put(document, variable.pointer(), variable.kind().convert(value, origin));
        origins.put(variable.pointer(), origin);
      }
    }
    JsonObject providers = document.getJsonObject("providers", new JsonObject());
    for (String name : providers.fieldNames()) {
      String variable = ProviderConfig.variablePrefix(name) + "_BASE_URL";
      String value = variables.values().get(variable);
      if (value != null && providers.getValue(name) instanceof JsonObject provider) {
        provider.put("base_url", value);
        origins.put("/providers/" + name + "/base_url", variables.origins().get(variable));
      }
    }
  }

  private static void validate(JsonObject document, Function<String, String> originOf) {
    OutputUnit result = VALIDATOR.validate(document);
    if (Boolean.TRUE.equals(result.getValid())) {
      return;
    }
    throw new ConfigException(SchemaErrors.describe(result.getErrors(), originOf));
  }

  private static String originOf(String pointer, Map<String, String> origins, JsonObject file, String fileName) {
    for (String prefix = pointer; !prefix.isEmpty(); prefix = prefix.substring(0, prefix.lastIndexOf('/'))) {
      if (origins.containsKey(prefix)) {
        return origins.get(prefix);
      }
    }
    return file != null && contains(file, pointer) ? fileName : DEFAULTS;
  }

  private static GatewayConfig build(JsonObject doc, Map<String, String> variables, String fileName) {
    JsonObject server = doc.getJsonObject("server");
    JsonObject timeouts = doc.getJsonObject("timeouts");
    JsonObject retries = doc.getJsonObject("retries");
    JsonObject cluster = doc.getJsonObject("cluster");
    JsonObject cache = doc.getJsonObject("cache");
    JsonObject requestLog = doc.getJsonObject("request_log");
    JsonObject llama = doc.getJsonObject("llama");
    JsonObject images = doc.getJsonObject("images");
    JsonObject realtime = doc.getJsonObject("realtime");

    Map<String, ProviderConfig> providers = new TreeMap<>();
    JsonObject providerDocs = doc.getJsonObject("providers");
    for (String name : providerDocs.fieldNames()) {
      providers.put(name, provider(name, providerDocs.getJsonObject(name), variables, fileName));
    }
    Map<String, String> aliases = new TreeMap<>();
    doc.getJsonObject("aliases").forEach(entry -> aliases.put(entry.getKey(), (String) entry.getValue()));
    aliases.forEach((alias, target) -> {
      int colon = target.indexOf(':');
      if (colon <= 0 || !providers.containsKey(target.substring(0, colon))) {
        throw new ConfigException(fileName + ": aliases." + alias + ": '" + target
            + "' is not provider:model with a configured provider (" + String.join(", ", providers.keySet()) + ")");
      }
    });
    String defaultProvider = doc.getString("default_provider");
    if (defaultProvider != null && !providers.containsKey(defaultProvider)) {
      throw new ConfigException(fileName + ": default_provider: '" + defaultProvider + "' is not a configured provider");
    }

    return new GatewayConfig(
        new ServerConfig(server.getString("host"), server.getInteger("port"),
            server.getLong("max_body_bytes"), server.getInteger("instances"),
            server.getInteger("shutdown_timeout_seconds")),
        providers,
        aliases,
        defaultProvider,
        new TimeoutConfig(timeouts.getInteger("request_seconds"), timeouts.getInteger("stream_idle_seconds"),
            timeouts.getInteger("connect_seconds")),
        new RetryConfig(retries.getInteger("max_retries"), retries.getInteger("initial_backoff_ms"),
            retries.getInteger("max_backoff_ms")),
        new ClusterConfig(cluster.getBoolean("enabled"), cluster.getString("name"), cluster.getString("host"),
            cluster.getInteger("port"), strings(cluster.getJsonArray("members")), cluster.getBoolean("multicast")),
        doc.getString("log_level"),
        new CacheConfig(cache.getBoolean("enabled"), cache.getInteger("ttl_seconds"), cache.getInteger("max_entries"),
            cache.getLong("max_bytes")),
        new RequestLogConfig(requestLog.getBoolean("enabled"), requestLog.getBoolean("store_bodies"),
            requestLog.getInteger("max_body_bytes"), requestLog.getInteger("retention_days"),
            requestLog.getInteger("queue_capacity"), requestLog.getInteger("batch_size"),
            requestLog.getInteger("flush_millis")),
        llama(llama),
        doc.getString("sqlite_db_path"),
        new ImagesConfig(images.getBoolean("allow_private_networks"), images.getLong("max_bytes"),
            images.getInteger("timeout_seconds")),
        new RealtimeConfig(realtime.getInteger("max_sessions"), realtime.getInteger("idle_timeout_seconds"),
            realtime.getInteger("max_frame_bytes"), realtime.getInteger("max_message_bytes")));
  }

  private static LlamaConfig llama(JsonObject llama) {
    List<LocalModelConfig> models = llama.getJsonArray("models").stream().map(JsonObject.class::cast)
        .map(model -> new LocalModelConfig(model.getString("name"), model.getString("path"),
            model.getString("mmproj"), model.getInteger("context_size"), model.getInteger("slots"),
            model.getInteger("gpu_layers"), model.getInteger("threads"), model.getString("chat_template"),
            model.getBoolean("embedding", false)))
        .toList();
    return new LlamaConfig(llama.getBoolean("enabled"), llama.getString("model_dir"),
        LlamaEngine.parse(llama.getString("engine")).orElseThrow(), llama.getInteger("gpu_layers"),
        llama.getInteger("threads"), llama.getInteger("top_k"), llama.getDouble("top_p"),
        llama.getInteger("context_size"), llama.getInteger("slots"), llama.getInteger("max_queue"),
        llama.getInteger("max_loaded"), llama.getInteger("stream_interval_ms"),
        llama.getInteger("slot_cache_idle_seconds"), strings(llama.getJsonArray("runner_jvm_options")),
        llama.getString("chat_template"), enumOf(StructuredMode.class, llama.getString("structured_mode")),
        enumOf(StructuredPlan.class, llama.getString("structured_plan")),
        models);
  }

  private static ProviderConfig provider(String name, JsonObject doc, Map<String, String> variables, String fileName) {
    ProviderType type = ProviderType.parse(doc.getString("type", "openai")).orElseThrow();
    String baseUrl = doc.getString("base_url");
    if (baseUrl == null && type != ProviderType.LLAMA) {
      throw new ConfigException(fileName + ": providers." + name + ".base_url: required (or set "
          + ProviderConfig.variablePrefix(name) + "_BASE_URL)");
    }
    String keyVariable = doc.getString("api_key_env", ProviderConfig.variablePrefix(name) + "_API_KEY");
    String apiKey = doc.getString("api_key", variables.get(keyVariable));
    Map<String, String> headers = new TreeMap<>();
    doc.getJsonObject("headers", new JsonObject()).forEach(e -> headers.put(e.getKey(), (String) e.getValue()));
    return new ProviderConfig(name,
        type,
        baseUrl == null ? null : baseUrl.replaceAll("/+$", ""),
        apiKey,
        keyVariable,
        strings(doc.getJsonArray("models", new JsonArray())),
        headers,
        doc.getString("max_tokens_field", "max_tokens"));
  }

  /** A setting the schema has already held to the enum's values, written in lowercase. */
  private static <E extends Enum<E>> E enumOf(Class<E> type, String configName) {
    return Enum.valueOf(type, configName.toUpperCase(Locale.ROOT));
  }

  private static List<String> strings(JsonArray array) {
    return array.stream().map(String.class::cast).toList();
  }

  private static JsonObject readJson(Path path) {
    if (!Files.isRegularFile(path)) {
      return null;
    }
    String text = readText(path);
    try {
      return JsonSyntax.object(path.toString(), text);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  private static String readText(Path path) {
    try {
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(path + ": cannot read: " + e.getMessage());
    }
  }

  /** Deep merge: objects merge field by field, anything else is replaced. */
  private static void merge(JsonObject target, JsonObject source) {
    source.forEach(entry -> {
      Object existing = target.getValue(entry.getKey());
      if (existing instanceof JsonObject existingObject && entry.getValue() instanceof JsonObject sourceObject) {
        merge(existingObject, sourceObject);
      } else {
        target.put(entry.getKey(), entry.getValue() instanceof JsonObject object ? object.copy() : entry.getValue());
      }
    });
  }

  /** JSON pointers of the non-object values in {@code document}. */
  private static List<String> leaves(JsonObject document, String prefix) {
    List<String> pointers = new ArrayList<>();
    document.forEach(entry -> {
      String pointer = prefix + "/" + entry.getKey();
      if (entry.getValue() instanceof JsonObject object) {
        pointers.addAll(leaves(object, pointer));
      } else {
        pointers.add(pointer);
      }
    });
    return pointers;
  }

  private static void put(JsonObject document, String pointer, Object value) {
    String[] parts = pointer.substring(1).split("/");
    JsonObject parent = document;
    for (int i = 0; i < parts.length - 1; i++) {
      parent = parent.getJsonObject(parts[i]);
    }
    parent.put(parts[parts.length - 1], value);
  }

  private static boolean contains(JsonObject document, String pointer) {
    Object node = document;
    for (String part : pointer.substring(1).split("/")) {
      if (node instanceof JsonObject object && object.containsKey(part)) {
        node = object.getValue(part);
      } else if (node instanceof JsonArray array && part.matches("\\d+") && Integer.parseInt(part) < array.size()) {
        node = array.getValue(Integer.parseInt(part));
      } else {
        return pointer.isEmpty();
      }
    }
    return true;
  }

  private static String resource(String name) {
    try (InputStream in = ConfigLoader.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record Variable(String name, String pointer, Kind kind) {
  }

  /**
   * The env file's variables overlaid by the process environment.
   *
   * @param origins per variable, where it came from ({@code GATEWAY_PORT in conf/lmbridge.env})
   */
  private record Variables(Map<String, String> values, Map<String, String> origins) {

    static Variables read(ConfigSources sources) {
      Map<String, String> values = new LinkedHashMap<>();
      Map<String, String> origins = new HashMap<>();
      sources.envFile().ifPresent(path -> EnvFile.parse(readText(path), path.toString()).forEach((key, value) -> {
        values.put(key, value);
        origins.put(key, key + " in " + path);
      }));
      sources.environment().forEach((key, value) -> {
        values.put(key, value);
        origins.put(key, key + " in the environment");
      });
      return new Variables(values, origins);
    }
  }

  private enum Kind {
    STRING("a string"), LOWERCASE("a string"), INTEGER("an integer"), NUMBER("a number"), BOOLEAN("a boolean");

    private final String description;

    Kind(String description) {
      this.description = description;
    }

    Object convert(String value, String origin) {
      try {
        return switch (this) {
          case STRING -> value;
          case LOWERCASE -> value.toLowerCase(Locale.ROOT);
          case INTEGER -> Integer.parseInt(value.strip());
          case NUMBER -> Double.parseDouble(value.strip());
          case BOOLEAN -> parseBoolean(value.strip(), origin);
        };
      } catch (NumberFormatException e) {
        throw new ConfigException(origin + ": '" + value + "' is not " + description);
      }
    }

    private static boolean parseBoolean(String value, String origin) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "true", "1", "yes", "on" -> true;
        case "false", "0", "no", "off" -> false;
        default -> throw new ConfigException(origin + ": '" + value + "' is not a boolean (true or false)");
      };
    }
  }
}
