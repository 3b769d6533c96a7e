package io.lmbridge.testkit;

import java.nio.file.Path;
import java.util.Map;

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
 *
 * <p>It also writes tiny models of other architectures, laid out as converted real ones are, for the
 * llama.cpp release this project builds (v0.5.0): {@link #qwen3} and {@link #phi3} with their families'
 * real tokenizers, {@link #gemma3} with a vision projector, {@link #plamo2}, a Mamba/attention hybrid.
 * {@link TinyModel} has what they share, and the bias that makes their gibberish mostly printable.
 */
public final class TinyGguf {

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
   *     {@link TinyModel}): deep enough, random layers drive it negative, which turns the output bias
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

  /** A generation ends after about 70 tokens on average (measured over 20 seeds at temperature 0.8). */
  private static final float END_BIAS = 0.6f;
  /** Far enough down that an endless model never samples an end token unless a grammar forces it. */
  private static final float ENDLESS_BIAS = -20f;

  /**
   * Far above the end tokens' (see {@link TinyQwen3}), for {@code <tool_call>} and a new line: Qwen3's
   * template opens a call with both, and less made the model write text until {@code max_tokens}.
   */
  private static final float TOOL_CALL_BIAS = 2.0f;

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
    return new GgufWriter().string("general.architecture", architecture)
        .uint32(architecture + ".context_length", TinyModel.CONTEXT_LENGTH).write(dir, fileName);
  }

  /**
   * Writes a tiny Qwen3 with Qwen's real tokenizer, Q8_0, about 16 MB: see {@link TinyQwen3}.
   *
   * @param vocabularyFile llama.cpp's {@code models/ggml-vocab-qwen2.gguf}
   * @param chatTemplate for instance llama.cpp's {@code models/templates/Qwen-Qwen3-0.6B.jinja}; null for none
   */
  public static Path qwen3(Path dir, String fileName, Path vocabularyFile, String chatTemplate) {
    return TinyQwen3.write(dir, fileName, vocabularyFile, chatTemplate, Map.of());
  }

  /**
   * The same Qwen3, but one that soon opens a tool call when it may, and keeps making calls, for tests of
   * calls in the model's own format: llama.cpp's grammar for a required call lets a model write text first,
   * which the other tiny models would do until {@code max_tokens}.
   */
  public static Path qwen3Calling(Path dir, String fileName, Path vocabularyFile, String chatTemplate) {
    // "\u010a" is the new line in Qwen's byte-level tokens.
    return TinyQwen3.write(dir, fileName, vocabularyFile, chatTemplate,
        Map.of("<tool_call>", TOOL_CALL_BIAS, "\u010a", TOOL_CALL_BIAS));
  }

  /**
   * Writes a tiny Phi-3 with Phi-3's real tokenizer, Q8_0, about 3 MB: see {@link TinyPhi3}.
   *
   * @param vocabularyFile llama.cpp's {@code models/ggml-vocab-phi-3.gguf}
   * @param chatTemplate for instance llama.cpp's {@code models/templates/microsoft-Phi-3.5-mini-instruct.jinja};
   *     null for none
   */
  public static Path phi3(Path dir, String fileName, Path vocabularyFile, String chatTemplate) {
    return TinyPhi3.write(dir, fileName, vocabularyFile, chatTemplate);
  }

  /** Writes a tiny Gemma 3 text model with Gemma's chat template: see {@link TinyGemma3}. */
  public static Path gemma3(Path dir, String fileName) {
    return TinyGemma3.write(dir, fileName);
  }

  /**
   * Writes the vision projector of {@link #gemma3}, which llama-server loads with {@code --mmproj}: see
   * {@link TinyGemma3Projector}.
   */
  public static Path gemma3Projector(Path dir, String fileName) {
    return TinyGemma3Projector.write(dir, fileName);
  }

  /**
   * Writes a tiny PLaMo-2, Mamba layer first as in real ones, with llama.cpp's PLaMo-2 tokenizer: see
   * {@link TinyPlamo2}. llama.cpp v0.5.0 needs {@code native/patches/0001-plamo2-rotary-dimensions.patch}
   * to run it.
   */
  public static Path plamo2(Path dir, String fileName) {
    return TinyPlamo2.write(dir, fileName);
  }

  private static Path write(Path dir, String fileName, String chatTemplate, float endBias, Shape shape) {
    Vocabulary vocabulary = Vocabulary.sentencePiece();
    TinyModel model = new TinyModel("llama", shape, vocabulary).sizes().heads()
        .float32("attention.layer_norm_rms_epsilon", 1e-5f)
        .uint32("rope.dimension_count", shape.headDim())
        .float32("rope.freq_base", 10000f)
        .uint32("vocab_size", vocabulary.size())
        .tokenizer(chatTemplate)
        .embeddings(endBias);
    for (int layer = 0; layer < shape.layers(); layer++) {
      model.block(layer).norm("attn_norm.weight").attention().norm("ffn_norm.weight").feedForward();
    }
    return model.write(dir, fileName);
  }
}
