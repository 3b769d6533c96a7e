package io.lmbridge.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A tiny random-weight llama model written as GGUF, for tests that run real java-llama.cpp.
 *
 * <p>It exists because a fresh clone has no trained models ({@code ../shared/models} is only present on
 * machines that vendor them), yet local inference must be tested against the real native engine. The
 * file is about 0.5 MB, loads and generates in milliseconds on a CPU, and its output is gibberish.
 *
 * <p>What llama.cpp (build b4916, the one java-llama.cpp 4.2.0 carries) needs for the {@code llama}
 * architecture: {@code general.architecture}, the {@code llama.*} hyper-parameters below, and the
 * tensors {@code token_embd}, {@code output_norm}, {@code output} and, per layer, {@code attn_norm},
 * {@code attn_q/k/v}, {@code attn_output}, {@code ffn_norm}, {@code ffn_gate/up/down}. The tokenizer is
 * SentencePiece style ({@code tokenizer.ggml.model = "llama"}) with all 256 byte tokens, so any text
 * encodes (unknown characters fall back to bytes) and a JSON grammar can always be satisfied: every
 * character it asks for is some token. A ChatML template and its {@code <|im_start|>}/{@code <|im_end|>}
 * control tokens make it a chat model; llama.cpp treats {@code <|im_end|>} as end of generation.
 */
public final class TinyGguf {

  /** {@code llama.context_length}: the training context. llama.cpp uses the context size it is given. */
  private static final int CONTEXT_LENGTH = 512;

  private static final String CHATML = "{% for message in messages %}"
      + "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
      + "{% endfor %}"
      + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

  /**
   * A template that renders tools, earlier calls and tool results the way Hermes-style models (Qwen
   * 2.5, for one) were trained: tools in the system turn, calls as {@code <tool_call>} blocks, results
   * as a user turn of {@code <tool_response>} blocks.
   */
  public static final String TOOLS_TEMPLATE = """
      {%- if tools %}<|im_start|>system
      {% if messages[0]['role'] == 'system' %}{{ messages[0]['content'] }}

      {% endif %}# Tools
      Function signatures within <tools></tools>:
      <tools>{% for tool in tools %}
      {{ tool | tojson }}{% endfor %}
      </tools>
      For each call, return a json object within <tool_call></tool_call>:
      <tool_call>
      {"name": <function-name>, "arguments": <args-json-object>}
      </tool_call><|im_end|>
      {% elif messages[0]['role'] == 'system' %}<|im_start|>system
      {{ messages[0]['content'] }}<|im_end|>
      {% endif %}
      {%- for message in messages %}
      {%- if message.role == 'user' or (message.role == 'assistant' and not message.tool_calls) %}<|im_start|>{{ message.role }}
      {{ message.content }}<|im_end|>
      {% elif message.role == 'assistant' %}<|im_start|>assistant
      {% if message.content %}{{ message.content }}{% endif %}
      {%- for tool_call in message.tool_calls %}{% if tool_call.function is defined %}{% set tool_call = tool_call.function %}{% endif %}
      <tool_call>
      {"name": "{{ tool_call.name }}", "arguments": {{ tool_call.arguments | tojson }}}
      </tool_call>{% endfor %}<|im_end|>
      {% elif message.role == 'tool' %}<|im_start|>user
      <tool_response>
      {{ message.content }}
      </tool_response><|im_end|>
      {% endif %}
      {%- endfor %}
      {%- if add_generation_prompt %}<|im_start|>assistant
      {% endif %}""";

  /**
   * The model's size.
   *
   * @param quantized weight matrices in Q8_0 rather than F32 (norms stay F32, as llama.cpp keeps them)
   * @param steadyConstant the layers leave the embeddings' constant dimension alone (see
   *     {@link #PIECE_BIAS}): deep enough, random layers drive it negative, which turns the output bias
   *     from favouring pieces to favouring the end tokens, and every answer ends after one token. The
   *     tiny model's biases were tuned with it moving, and its byte tokens, which tests and benchmarks
   *     rely on, come from that: it keeps it moving.
   */
  public record Shape(int embedding, int layers, int heads, int kvHeads, int feedForward, boolean quantized,
                      boolean steadyConstant) {

    /** The 0.5 MB model the tests use. */
    public static final Shape TINY = new Shape(64, 2, 4, 2, 128, false, false);

    /**
     * A model with Llama 3's proportions, quantized: heads of 64, a KV head per four heads, a
     * feed-forward four times as wide. {@code ofWidth(2048, 16)} has Llama 3.2 1B's layers, for
     * benchmarks that need a model whose decoding is memory-bound, as real ones are.
     */
    public static Shape ofWidth(int embedding, int layers) {
      return new Shape(embedding, layers, embedding / 64, embedding / 256, 4 * embedding, true, true);
    }

    int headDim() {
      return embedding / heads;
    }

    /** Keeps the tiny model's activation scale at any width: weights shrink as rows grow. */
    double weightScale() {
      return Math.sqrt((double) TINY.embedding / embedding);
    }
  }

  private static final long SEED = 20250320L;
  /**
   * Random weights would pick the 256 byte tokens most of the time and write invalid UTF-8. So every
   * token embedding carries a constant 1 in dimension 0, which survives the final RMS norm as a large
   * positive component, and the output rows weigh it: ordinary pieces by {@code PIECE_BIAS}, so the
   * text is mostly printable ASCII, and the end-of-generation tokens a little more, so a generation
   * ends on its own after about 70 tokens on average (measured over 20 seeds at temperature 0.8).
   */
  private static final float PIECE_BIAS = 0.4f;
  private static final float END_BIAS = 0.6f;
  /** Far enough down that an endless model never samples an end token unless a grammar forces it. */
  private static final float ENDLESS_BIAS = -20f;

  private static final int TOKEN_NORMAL = 1;
  private static final int TOKEN_UNKNOWN = 2;
  private static final int TOKEN_CONTROL = 3;
  private static final int TOKEN_BYTE = 6;

  /** SentencePiece's word-start marker, which stands for a space. */
  private static final String SPACE = "\u2581";
  private static final List<String> WORDS = List.of("the", "a", "and", "is", "of", "to", "in", "it", "you",
      "hello", "world", "name", "answer", "yes", "no", "true", "false", "null", "once", "upon", "time");
  private static final List<String> JSON_PIECES = List.of("{\"", "\":", "\",", "\"}", ",\"", ": ", ", ");

  private TinyGguf() {
  }

  /** Writes the model with its ChatML template. */
  public static Path write(Path dir, String fileName) {
    return write(dir, fileName, true);
  }

  /**
   * Writes the model.
   *
   * @param fileName for instance {@code Tiny-Chat-Q8_0.gguf}; the name does not change the content
   * @param chatTemplate whether to embed the ChatML template; without it llama.cpp needs a template
   *     named at load time, as the trained test models in {@code ../shared/models} do
   */
  public static Path write(Path dir, String fileName, boolean chatTemplate) {
    return write(dir, fileName, chatTemplate ? CHATML : null, END_BIAS, Shape.TINY);
  }

  /** Writes the model with the given Jinja chat template. */
  public static Path write(Path dir, String fileName, String chatTemplate) {
    return write(dir, fileName, chatTemplate, END_BIAS, Shape.TINY);
  }

  /**
   * Writes a model that does not end on its own, so a generation runs until {@code max_tokens}: for
   * tests that need a stream to still be running when they act on it.
   */
  public static Path writeEndless(Path dir, String fileName) {
    return writeEndless(dir, fileName, Shape.TINY);
  }

  /** Writes an endless model of the given size. */
  public static Path writeEndless(Path dir, String fileName, Shape shape) {
    return write(dir, fileName, CHATML, ENDLESS_BIAS, shape);
  }

  /** Writes a GGUF header that names an architecture, and nothing else: for files a build cannot load. */
  public static Path writeArchitectureOnly(Path dir, String fileName, String architecture) {
    Path file = dir.resolve(fileName);
    try {
      new GgufWriter().string("general.architecture", architecture)
          .uint32(architecture + ".context_length", CONTEXT_LENGTH).write(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  private static Path write(Path dir, String fileName, String chatTemplate, float endBias, Shape shape) {
    Path file = dir.resolve(fileName);
    Vocabulary vocabulary = vocabulary();
    GgufWriter gguf = new GgufWriter()
        .string("general.architecture", "llama")
        .string("general.name", "TinyGguf")
        .uint32("general.alignment", GgufWriter.ALIGNMENT)
        .uint32("llama.context_length", CONTEXT_LENGTH)
        .uint32("llama.embedding_length", shape.embedding())
        .uint32("llama.block_count", shape.layers())
        .uint32("llama.feed_forward_length", shape.feedForward())
        .uint32("llama.attention.head_count", shape.heads())
        .uint32("llama.attention.head_count_kv", shape.kvHeads())
        .float32("llama.attention.layer_norm_rms_epsilon", 1e-5f)
        .uint32("llama.rope.dimension_count", shape.headDim())
        .float32("llama.rope.freq_base", 10000f)
        .uint32("llama.vocab_size", vocabulary.size())
        .string("tokenizer.ggml.model", "llama")
        .strings("tokenizer.ggml.tokens", vocabulary.tokens)
        .float32s("tokenizer.ggml.scores", vocabulary.scores())
        .int32s("tokenizer.ggml.token_type", vocabulary.types())
        .uint32("tokenizer.ggml.unknown_token_id", 0)
        .uint32("tokenizer.ggml.bos_token_id", 1)
        .uint32("tokenizer.ggml.eos_token_id", 2)
        .bool("tokenizer.ggml.add_bos_token", true)
        .bool("tokenizer.ggml.add_eos_token", false);
    if (chatTemplate != null) {
      gguf.string("tokenizer.chat_template", chatTemplate);
    }
    addTensors(gguf, vocabulary, endBias, shape);
    try {
      gguf.write(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  private static void addTensors(GgufWriter gguf, Vocabulary vocabulary, float endBias, Shape shape) {
    SplittableRandom random = new SplittableRandom(SEED);
    int width = shape.embedding();
    int kvWidth = shape.kvHeads() * shape.headDim();
    int feedForward = shape.feedForward();
    Weights weights = new Weights(gguf, random, shape);
    float[] embeddings = weights.values(width * vocabulary.size());
    float[] output = weights.values(width * vocabulary.size());
    for (int token = 0; token < vocabulary.size(); token++) {
      embeddings[token * width] = 1f;
      output[token * width] = vocabulary.outputBias(token, endBias);
    }
    weights.matrix("token_embd.weight", embeddings, width, vocabulary.size());
    gguf.tensor("output_norm.weight", ones(width), width);
    weights.matrix("output.weight", output, width, vocabulary.size());
    for (int layer = 0; layer < shape.layers(); layer++) {
      String block = "blk." + layer + ".";
      gguf.tensor(block + "attn_norm.weight", ones(width), width);
      weights.random(block + "attn_q.weight", width, width);
      weights.random(block + "attn_k.weight", width, kvWidth);
      weights.random(block + "attn_v.weight", width, kvWidth);
      weights.matrix(block + "attn_output.weight", weights.writingResidual(width * width, width), width, width);
      gguf.tensor(block + "ffn_norm.weight", ones(width), width);
      weights.random(block + "ffn_gate.weight", width, feedForward);
      weights.random(block + "ffn_up.weight", width, feedForward);
      weights.matrix(block + "ffn_down.weight", weights.writingResidual(feedForward * width, feedForward),
          feedForward, width);
    }
  }

  /** Weight matrices: uniform in [-0.1, 0.1) times the shape's scale, small enough that activations stay finite. */
  private record Weights(GgufWriter gguf, SplittableRandom random, Shape shape) {

    float[] values(int count) {
      double scale = shape.weightScale();
      float[] values = new float[count];
      for (int i = 0; i < count; i++) {
        values[i] = (float) ((random.nextDouble() * 0.2 - 0.1) * scale);
      }
      return values;
    }

    /** A layer's output matrix; with a steady constant, the row that writes dimension 0 is zero. */
    float[] writingResidual(int count, int rowLength) {
      float[] matrix = values(count);
      if (shape.steadyConstant()) {
        Arrays.fill(matrix, 0, rowLength, 0f);
      }
      return matrix;
    }

    void random(String name, int rowLength, int rows) {
      matrix(name, values(rowLength * rows), rowLength, rows);
    }

    void matrix(String name, float[] values, int rowLength, int rows) {
      if (shape.quantized()) {
        gguf.q8Tensor(name, values, rowLength, rows);
      } else {
        gguf.tensor(name, values, rowLength, rows);
      }
    }
  }

  private static float[] ones(int count) {
    float[] values = new float[count];
    Arrays.fill(values, 1f);
    return values;
  }

  /**
   * Special tokens first (ids 0 to 4), then the 256 byte tokens, then ordinary pieces. SentencePiece
   * builds a piece by merging neighbours whose concatenation is a token, so every word piece comes with
   * all its prefixes; the highest score merges first.
   */
  private static Vocabulary vocabulary() {
    Vocabulary vocabulary = new Vocabulary();
    vocabulary.add("<unk>", TOKEN_UNKNOWN);
    vocabulary.add("<s>", TOKEN_CONTROL);
    vocabulary.add("</s>", TOKEN_CONTROL);
    vocabulary.add("<|im_start|>", TOKEN_CONTROL);
    vocabulary.add("<|im_end|>", TOKEN_CONTROL);
    for (int b = 0; b < 256; b++) {
      vocabulary.add(String.format("<0x%02X>", b), TOKEN_BYTE);
    }
    LinkedHashSet<String> pieces = new LinkedHashSet<>();
    pieces.add(SPACE);
    for (char c = '!'; c <= '~'; c++) {
      pieces.add(String.valueOf(c));
    }
    for (String word : WORDS) {
      String piece = SPACE + word;
      for (int end = 2; end <= piece.length(); end++) {
        pieces.add(piece.substring(0, end));
      }
    }
    pieces.addAll(JSON_PIECES);
    pieces.forEach(piece -> vocabulary.add(piece, TOKEN_NORMAL));
    return vocabulary;
  }

  private static final class Vocabulary {
    final List<String> tokens = new ArrayList<>();
    final List<Integer> typeList = new ArrayList<>();

    void add(String token, int type) {
      tokens.add(token);
      typeList.add(type);
    }

    int size() {
      return tokens.size();
    }

    /** Longer pieces score higher, so merges prefer to grow whole words. */
    float[] scores() {
      float[] scores = new float[size()];
      for (int i = 0; i < scores.length; i++) {
        scores[i] = typeList.get(i) == TOKEN_NORMAL ? tokens.get(i).length() - 10f : 0f;
      }
      return scores;
    }

    /** The output row's weight on the embeddings' constant dimension: see {@link #PIECE_BIAS}. */
    float outputBias(int token, float endBias) {
      String text = tokens.get(token);
      if (text.equals("</s>") || text.equals("<|im_end|>")) {
        return endBias;
      }
      return typeList.get(token) == TOKEN_NORMAL ? PIECE_BIAS : 0f;
    }

    int[] types() {
      return typeList.stream().mapToInt(Integer::intValue).toArray();
    }
  }
}
