package io.lmbridge.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A tokenizer as GGUF stores it under {@code tokenizer.ggml.*}: its model, tokens, token types, scores
 * (SentencePiece), merges (BPE), special token ids and flags. Either a tiny one built here, or a real one
 * read from a vocabulary file, whose values are kept as they are.
 *
 * <p>It also says what each token is to a random-weight model's output layer: an end of generation, a
 * printable piece, or anything else (bytes, controls, other scripts), so the model can favour printable text.
 */
final class Vocabulary {

  static final int TOKEN_NORMAL = 1;
  static final int TOKEN_UNKNOWN = 2;
  static final int TOKEN_CONTROL = 3;
  static final int TOKEN_USER_DEFINED = 4;
  static final int TOKEN_BYTE = 6;

  private static final String KEY = "tokenizer.ggml.";
  /** SentencePiece's word-start marker, which stands for a space. */
  private static final String SENTENCE_PIECE_SPACE = "\u2581";
  /** What GPT-2 style BPE vocabularies write for a space byte. */
  private static final char BYTE_LEVEL_SPACE = '\u0120';
  /** Tokens llama.cpp ends a generation on by their text, whatever their id. */
  private static final Set<String> END_TEXTS =
      Set.of("</s>", "<|im_end|>", "<|endoftext|>", "<|end|>", "<end_of_turn>");
  private static final List<String> WORDS = List.of("the", "a", "and", "is", "of", "to", "in", "it", "you",
      "hello", "world", "name", "answer", "yes", "no", "true", "false", "null", "once", "upon", "time");
  private static final List<String> JSON_PIECES = List.of("{\"", "\":", "\",", "\"}", ",\"", ": ", ", ");

  private final String model;
  private final String pre;
  private final List<String> tokens;
  private final List<Integer> types;
  /** Null where the tokenizer has none (BPE). */
  private final List<Float> scores;
  /** Null where the tokenizer has none (all but BPE). */
  private final List<String> merges;
  /** Special token ids and flags, by their key under {@code tokenizer.ggml.}, in the order they are written. */
  private final Map<String, Object> settings = new LinkedHashMap<>();

  private Vocabulary(String model, String pre, List<String> tokens, List<Integer> types, List<Float> scores,
                     List<String> merges) {
    this.model = model;
    this.pre = pre;
    this.tokens = tokens;
    this.types = types;
    this.scores = scores;
    this.merges = merges;
  }

  /**
   * TinyGguf's SentencePiece vocabulary: {@code <unk>}, {@code <s>}, {@code </s>}, ChatML's two control tokens
   * (ids 0 to 4), then the pieces of {@link #addBytesAndPieces}. Without SentencePiece's dummy space
   * prefix, as Gemma's: with it, llama.cpp starts the text after each control token with a space, and
   * v0.5.0, which feeds a template's generation prompt ({@code <|im_start|>assistant\n}) to a JSON or
   * tool-call grammar token by token, fails on {@code " a"} where the grammar wants {@code "a"} (so do
   * real SentencePiece models with ChatML tokens, as llama-server itself shows).
   */
  static Vocabulary sentencePiece() {
    Vocabulary vocabulary = empty("llama", null);
    vocabulary.add("<unk>", TOKEN_UNKNOWN);
    List.of("<s>", "</s>", "<|im_start|>", "<|im_end|>").forEach(token -> vocabulary.add(token, TOKEN_CONTROL));
    vocabulary.addBytesAndPieces(SENTENCE_PIECE_SPACE);
    return vocabulary.set("unknown_token_id", 0).set("bos_token_id", 1).set("eos_token_id", 2)
        .set("add_bos_token", true).set("add_eos_token", false).set("add_space_prefix", false);
  }

  /**
   * A vocabulary for llama.cpp's PLaMo-2 tokenizer: PLaMo-2's five special tokens at the ids the converter
   * expects ({@code <|plamo:op|>}, id 4, ends a turn), then the same pieces as {@link #sentencePiece()},
   * written with plain spaces, as PLaMo's tokens are.
   */
  static Vocabulary plamo2() {
    Vocabulary vocabulary = empty("plamo2", "default");
    vocabulary.add("<|plamo:unk|>", TOKEN_UNKNOWN);
    List.of("<|plamo:bos|>", "<|plamo:eos|>", "<|plamo:pad|>", "<|plamo:op|>")
        .forEach(token -> vocabulary.add(token, TOKEN_CONTROL));
    vocabulary.addBytesAndPieces(" ");
    return vocabulary.set("bos_token_id", 1).set("eos_token_id", 2).set("padding_token_id", 3)
        .set("unknown_token_id", 0).set("eot_token_id", 4).set("add_space_prefix", false);
  }

  /** A vocabulary to build, scored as SentencePiece's are and without merges. */
  private static Vocabulary empty(String model, String pre) {
    return new Vocabulary(model, pre, new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), null);
  }

  /** Reads the tokenizer of a GGUF file, such as llama.cpp's {@code models/ggml-vocab-*.gguf}. */
  static Vocabulary read(Path file) {
    GgufReader gguf;
    try {
      gguf = GgufReader.read(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Vocabulary vocabulary = new Vocabulary(gguf.string(KEY + "model"),
        gguf.has(KEY + "pre") ? gguf.string(KEY + "pre") : null,
        new ArrayList<>(gguf.strings(KEY + "tokens")),
        boxed(gguf.ints(KEY + "token_type")),
        gguf.has(KEY + "scores") ? boxed(gguf.floats(KEY + "scores")) : null,
        gguf.has(KEY + "merges") ? gguf.strings(KEY + "merges") : null);
    gguf.values().forEach((key, value) -> {
      if (key.startsWith(KEY) && value instanceof Long id) {
        vocabulary.set(key.substring(KEY.length()), Math.toIntExact(id));
      } else if (key.startsWith(KEY) && value instanceof Boolean flag) {
        vocabulary.set(key.substring(KEY.length()), flag);
      }
    });
    return vocabulary;
  }

  /**
   * Every byte as a token, so any text encodes (unknown characters fall back to bytes) and a JSON grammar
   * can always be satisfied, then ordinary pieces: the printable ASCII characters, some words, some JSON.
   * SentencePiece builds a piece by merging neighbours whose concatenation is a token, so every word
   * piece comes with all its prefixes; {@link #scores} makes the longest merge first.
   */
  private void addBytesAndPieces(String space) {
    for (int b = 0; b < 256; b++) {
      add(String.format("<0x%02X>", b), TOKEN_BYTE);
    }
    LinkedHashSet<String> pieces = new LinkedHashSet<>();
    pieces.add(space);
    for (char c = '!'; c <= '~'; c++) {
      pieces.add(String.valueOf(c));
    }
    for (String word : WORDS) {
      String piece = space + word;
      for (int end = 2; end <= piece.length(); end++) {
        pieces.add(piece.substring(0, end));
      }
    }
    pieces.addAll(JSON_PIECES);
    pieces.forEach(piece -> add(piece, TOKEN_NORMAL));
  }

  /** Appends control tokens, such as a model family's turn and image markers. */
  Vocabulary addControlTokens(String... controls) {
    for (String control : controls) {
      add(control, TOKEN_CONTROL);
    }
    return this;
  }

  /**
   * Gives a token slot another token: for the tokens a model family added to a vocabulary it shares with an
   * older one, whose file has padding where they go.
   *
   * @param expected what the slot must hold now, so a different file fails here rather than in llama.cpp
   */
  Vocabulary replace(int id, String expected, String token, int type) {
    if (!tokens.get(id).equals(expected)) {
      throw new IllegalArgumentException("token " + id + " is " + tokens.get(id) + ", not " + expected);
    }
    tokens.set(id, token);
    types.set(id, type);
    return this;
  }

  /** Sets a special token id (an int) or a flag (a boolean), {@code key} being its name under tokenizer.ggml. */
  Vocabulary set(String key, Object value) {
    settings.put(key, value);
    return this;
  }

  int size() {
    return tokens.size();
  }

  String token(int id) {
    return tokens.get(id);
  }

  /** What llama.cpp ends a generation on: the end-of-sequence and end-of-turn ids, and the usual end texts. */
  boolean isEnd(int id) {
    return END_TEXTS.contains(tokens.get(id)) || Integer.valueOf(id).equals(settings.get("eos_token_id"))
        || Integer.valueOf(id).equals(settings.get("eot_token_id"));
  }

  /** An ordinary token whose text is printable ASCII, a space being written the way the tokenizer writes it. */
  boolean isPrintable(int id) {
    return types.get(id) == TOKEN_NORMAL && tokens.get(id).chars()
        .allMatch(c -> (c >= ' ' && c <= '~') || c == SENTENCE_PIECE_SPACE.charAt(0) || c == BYTE_LEVEL_SPACE);
  }

  void write(GgufWriter gguf) {
    gguf.string(KEY + "model", model);
    if (pre != null) {
      gguf.string(KEY + "pre", pre);
    }
    gguf.strings(KEY + "tokens", tokens);
    if (scores != null) {
      gguf.float32s(KEY + "scores", scores());
    }
    gguf.int32s(KEY + "token_type", types.stream().mapToInt(Integer::intValue).toArray());
    if (merges != null) {
      gguf.strings(KEY + "merges", merges);
    }
    settings.forEach((key, value) -> {
      if (value instanceof Boolean flag) {
        gguf.bool(KEY + key, flag);
      } else {
        gguf.uint32(KEY + key, (Integer) value);
      }
    });
  }

  private void add(String token, int type) {
    tokens.add(token);
    types.add(type);
    // Longer pieces score higher, so merges prefer to grow whole words.
    scores.add(type == TOKEN_NORMAL ? token.length() - 10f : 0f);
  }

  private float[] scores() {
    float[] array = new float[scores.size()];
    for (int i = 0; i < array.length; i++) {
      array[i] = scores.get(i);
    }
    return array;
  }

  private static List<Integer> boxed(int[] values) {
    return Arrays.stream(values).boxed().collect(Collectors.toCollection(ArrayList::new));
  }

  private static List<Float> boxed(float[] values) {
    List<Float> list = new ArrayList<>(values.length);
    for (float value : values) {
      list.add(value);
    }
    return list;
  }
}
