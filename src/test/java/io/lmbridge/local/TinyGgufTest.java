package io.lmbridge.local;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.Pair;
import io.lmbridge.testkit.TinyGguf;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.Validator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real java-llama.cpp on {@link TinyGguf}, and on the trained models in {@code ../shared/models} when
 * that folder exists (a fresh clone has none: those cases are skipped).
 *
 * <p>tinystories-656k has no byte tokens, so text with a character outside its vocabulary cannot be
 * tokenized: {@code encode} of such text and a JSON grammar (it asks for an opening brace, which no
 * token holds) abort the whole JVM. Those two run in a child JVM, which the test expects to die; everything else on
 * that model uses plain story text in this JVM.
 */
class TinyGgufTest {

  private static final String TINY = "Tiny-Chat-Q8_0.gguf";
  private static final String NO_BYTE_TOKENS = "tinystories-656k-q8_0.gguf";
  private static final Path SHARED_MODELS = Path.of("..", "shared", "models");
  private static final String SCHEMA = """
      {"type": "object", "additionalProperties": false, "required": ["name", "age", "ok"],
       "properties": {"name": {"type": "string", "maxLength": 12}, "age": {"type": "integer"},
                      "ok": {"type": "boolean"}}}""";

  /** {@code close()} frees nothing in this binding, so each model is loaded once and kept. */
  private static final Map<String, LlamaModel> LOADED = new ConcurrentHashMap<>();

  @TempDir
  static Path dir;

  @BeforeAll
  static void privateNativeTempDir() {
    // On first load LlamaLoader deletes every jllama*/llama* file in its temp dir: keep it off /tmp.
    System.setProperty("de.kherud.llama.tmpdir", dir.toString());
  }

  /** SentencePiece's dummy prefix, a space, which decode keeps: the trained models have it, the tiny one not. */
  @ParameterizedTest
  @CsvSource({TINY + ", ''", "stories260K.gguf, ' '", "llama-2-tiny-random.gguf, ' '"})
  void anyTextEncodesAndDecodesBack(String name, String prefix) {
    LlamaModel model = model(name, false);
    String text = "Hello world, {\"name\": \"Zoë\"} ☃";

    int[] tokens = model.encode(text);

    // Characters outside the vocabulary are bytes.
    assertThat(model.decode(tokens)).isEqualTo(prefix + text);
  }

  @ParameterizedTest
  @ValueSource(strings = {TINY, "stories260K.gguf", "llama-2-tiny-random.gguf", NO_BYTE_TOKENS})
  void streamsWhatCompleteReturns(String name) {
    LlamaModel model = model(name, false);

    String complete = model.complete(request("Once upon a time").setNPredict(24));
    StringBuilder streamed = new StringBuilder();
    int chunks = 0;
    for (LlamaOutput output : model.generate(request("Once upon a time").setNPredict(24))) {
      streamed.append(output.text);
      chunks++;
    }

    assertThat(complete).isNotBlank();
    assertThat(streamed.toString()).isEqualTo(complete);
    assertThat(chunks).isGreaterThan(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {TINY, "stories260K.gguf", "llama-2-tiny-random.gguf"})
  void jsonSchemaGrammarGivesValidJson(String name) {
    LlamaModel model = model(name, false);
    Validator validator = Validator.create(JsonSchema.of(new JsonObject(SCHEMA)),
        new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("https://lmbridge.local/"));

    for (int seed = 1; seed <= 3; seed++) {
      String text = model.complete(request("Reply in JSON:").setSeed(seed).setNPredict(256)
          .setGrammar(LlamaModel.jsonSchemaToGrammar(SCHEMA)));

      assertThat(validator.validate(new JsonObject(text)).getValid()).as(text).isTrue();
    }
  }

  @Test
  void theQuantizedModelDecodesAsItsF32Original() {
    TinyGguf.Shape quantized = new TinyGguf.Shape(64, 2, 4, 2, 128, true, false);
    LlamaModel f32 = load(TinyGguf.writeEndless(dir, "Endless-F32.gguf"), new ModelParameters());
    LlamaModel q8 = load(TinyGguf.writeEndless(dir, "Endless-Q8_0.gguf", quantized), new ModelParameters());
    InferenceParameters greedy = request("Once upon a time").setTemperature(0).setNPredict(12);

    // Q8_0 keeps each weight within 1/254 of its block's largest, too little to change a greedy choice here.
    assertThat(q8.complete(greedy)).isNotEmpty().isEqualTo(f32.complete(greedy));
  }

  @Test
  void aWiderShapeLoadsAndRunsToMaxTokens() {
    LlamaModel wide = load(TinyGguf.writeEndless(dir, "Wide-Q8_0.gguf", TinyGguf.Shape.ofWidth(256, 2)),
        new ModelParameters());
    int chunks = 0;
    for (LlamaOutput ignored : wide.generate(request("Once upon a time").setNPredict(20))) {
      chunks++;
    }

    // One chunk per token, then the binding's final empty one: an endless model stops only at the limit.
    assertThat(chunks).isEqualTo(21);
  }

  @Test
  void chatTemplateRendersFromTheFileWithAndWithoutJinja() {
    String chatml = """
        <|im_start|>system
        Be brief.<|im_end|>
        <|im_start|>user
        Hi<|im_end|>
        <|im_start|>assistant
        """;

    assertThat(model(TINY, true).applyTemplate(chat())).isEqualTo(chatml);
    assertThat(model(TINY, false).applyTemplate(chat())).isEqualTo(chatml);
    // Its control tokens are parsed as such in text: <|im_start|> is one token, id 3.
    assertThat(model(TINY, false).encode("<|im_start|>user")[0]).isEqualTo(3);
  }

  @Test
  void withoutATemplateInTheFileANamedOneIsUsed() {
    // A second load: it leaks a little native memory, which is fine in a test JVM.
    LlamaModel model = load(TinyGguf.write(dir, "Tiny-NoTemplate.gguf", false),
        new ModelParameters().setChatTemplate("chatml"));

    assertThat(model.applyTemplate(chat())).startsWith("<|im_start|>system\nBe brief.<|im_end|>\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"grammar", "encode"})
  void aVocabularyWithoutByteTokensAbortsTheJvmOnUnknownCharacters(String probe) throws Exception {
    Path file = SHARED_MODELS.resolve(NO_BYTE_TOKENS);
    assumeTrue(Files.exists(file), "no " + file);

    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dde.kherud.llama.tmpdir=" + Files.createTempDirectory(dir, "child"),
        "-cp", System.getProperty("java.class.path"), Probe.class.getName(), file.toString(), probe)
        .redirectErrorStream(true).start();
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(child.exitValue()).as(output).isEqualTo(134); // SIGABRT
    assertThat(output).contains(probe.equals("grammar")
        ? "Unexpected empty grammar stack after accepting piece" : "_Map_base::at");
  }

  /** The child JVM of the abort test: it exits 0 only if the probe survives. */
  static final class Probe {
    public static void main(String[] args) {
      LlamaModel model = load(Path.of(args[0]), new ModelParameters());
      if (args[1].equals("grammar")) {
        model.complete(request("Once upon a time").setNPredict(64)
            .setGrammar(LlamaModel.jsonSchemaToGrammar(SCHEMA)));
      } else {
        model.encode("{");
      }
      // A loaded model leaves a non-daemon native thread: the JVM would not exit by itself.
      System.exit(0);
    }
  }

  private static InferenceParameters chat() {
    return new InferenceParameters("").setMessages("Be brief.", List.of(new Pair<>("user", "Hi")));
  }

  /**
   * Same seed, same text, but only without the prompt cache: with it, on stories260K and
   * llama-2-tiny-random, the first request and the later ones with the same prompt and seed gave
   * different text (a cached prompt is not evaluated in the same batch shape). A fresh object each
   * time: {@code generate} marks it as streaming.
   */
  private static InferenceParameters request(String prompt) {
    return new InferenceParameters(prompt).setSeed(7).setCachePrompt(false);
  }

  private static LlamaModel model(String name, boolean jinja) {
    return LOADED.computeIfAbsent(name + (jinja ? " jinja" : ""), key -> {
      // A file of its own per load: rewriting one that a loaded model has memory-mapped is unsafe.
      Path file = name.equals(TINY)
          ? TinyGguf.write(dir, (jinja ? "Jinja-" : "") + name)
          : SHARED_MODELS.resolve(name);
      assumeTrue(Files.exists(file), "no " + file);
      return load(file, jinja ? new ModelParameters().enableJinja() : new ModelParameters());
    });
  }

  private static LlamaModel load(Path file, ModelParameters params) {
    // One thread: on a busy 2-core machine, two made these models 4 to 16 times slower. Log verbosity
    // -1 keeps llama.cpp off stderr.
    return new LlamaModel(params.setModel(file.toString()).setCtxSize(512).setThreads(1).setLogVerbosity(-1));
  }
}
