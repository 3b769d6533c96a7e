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

  private static final int EMBEDDING = 64;
  private static final int LAYERS = 2;
  private static final int HEADS = 4;
  private static final int KV_HEADS = 2;
  private static final int HEAD_DIM = EMBEDDING / HEADS;
  private static final int FEED_FORWARD = 128;
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
    return write(dir, fileName, chatTemplate ? CHATML : null, END_BIAS);
  }

  /** Writes the model with the given Jinja chat template. */
  public static Path write(Path dir, String fileName, String chatTemplate) {
    return write(dir, fileName, chatTemplate, END_BIAS);
  }

  /**
   * Writes a model that does not end on its own, so a generation runs until {@code max_tokens}: for
   * tests that need a stream to still be running when they act on it.
   */
  public static Path writeEndless(Path dir, String fileName) {
    return write(dir, fileName, CHATML, ENDLESS_BIAS);
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

  private static Path write(Path dir, String fileName, String chatTemplate, float endBias) {
    Path file = dir.resolve(fileName);
    Vocabulary vocabulary = vocabulary();
    GgufWriter gguf = new GgufWriter()
        .string("general.architecture", "llama")
        .string("general.name", "TinyGguf")
        .uint32("general.alignment", GgufWriter.ALIGNMENT)
        .uint32("llama.context_length", CONTEXT_LENGTH)
        .uint32("llama.embedding_length", EMBEDDING)
        .uint32("llama.block_count", LAYERS)
        .uint32("llama.feed_forward_length", FEED_FORWARD)
        .uint32("llama.attention.head_count", HEADS)
        .uint32("llama.attention.head_count_kv", KV_HEADS)
        .float32("llama.attention.layer_norm_rms_epsilon", 1e-5f)
        .uint32("llama.rope.dimension_count", HEAD_DIM)
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
    addTensors(gguf, vocabulary, endBias);
    try {
      gguf.write(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  private static void addTensors(GgufWriter gguf, Vocabulary vocabulary, float endBias) {
    SplittableRandom random = new SplittableRandom(SEED);
    int kvWidth = KV_HEADS * HEAD_DIM;
    float[] embeddings = weights(random, EMBEDDING * vocabulary.size());
    float[] output = weights(random, EMBEDDING * vocabulary.size());
    for (int token = 0; token < vocabulary.size(); token++) {
      embeddings[token * EMBEDDING] = 1f;
      output[token * EMBEDDING] = vocabulary.outputBias(token, endBias);
    }
    gguf.tensor("token_embd.weight", embeddings, EMBEDDING, vocabulary.size())
        .tensor("output_norm.weight", ones(EMBEDDING), EMBEDDING)
        .tensor("output.weight", output, EMBEDDING, vocabulary.size());
    for (int layer = 0; layer < LAYERS; layer++) {
      String block = "blk." + layer + ".";
      gguf.tensor(block + "attn_norm.weight", ones(EMBEDDING), EMBEDDING)
          .tensor(block + "attn_q.weight", weights(random, EMBEDDING * EMBEDDING), EMBEDDING, EMBEDDING)
          .tensor(block + "attn_k.weight", weights(random, EMBEDDING * kvWidth), EMBEDDING, kvWidth)
          .tensor(block + "attn_v.weight", weights(random, EMBEDDING * kvWidth), EMBEDDING, kvWidth)
          .tensor(block + "attn_output.weight", weights(random, EMBEDDING * EMBEDDING), EMBEDDING, EMBEDDING)
          .tensor(block + "ffn_norm.weight", ones(EMBEDDING), EMBEDDING)
          .tensor(block + "ffn_gate.weight", weights(random, EMBEDDING * FEED_FORWARD), EMBEDDING, FEED_FORWARD)
          .tensor(block + "ffn_up.weight", weights(random, EMBEDDING * FEED_FORWARD), EMBEDDING, FEED_FORWARD)
          .tensor(block + "ffn_down.weight", weights(random, FEED_FORWARD * EMBEDDING), FEED_FORWARD, EMBEDDING);
    }
  }

  /** Uniform in [-0.1, 0.1): small enough that activations stay finite through the layers. */
  private static float[] weights(SplittableRandom random, int count) {
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = (float) (random.nextDouble() * 0.2 - 0.1);
    }
    return values;
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
