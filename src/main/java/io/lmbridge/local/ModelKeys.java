package io.lmbridge.local;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Model names from GGUF file names: lowercase, without {@code .gguf} and without a trailing
 * quantization tag, so {@code Phi-4-mini-instruct-Q4_K_M.gguf} is {@code phi-4-mini-instruct}.
 */
public final class ModelKeys {

  /** Names a client may use: no separators, so a name can never reach outside the model directory. */
  public static final Pattern VALID_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");

  /** llama.cpp's quantization names: q4_0, Q4_K_M, IQ2_XXS, F16, BF16, Q8_0... */
  private static final Pattern QUANTIZATION = Pattern.compile(
      "[-_.](i?q\\d+(_[a-z0-9]+)*|f16|f32|bf16)$", Pattern.CASE_INSENSITIVE);
  private static final String PROJECTOR = "mmproj";
  /** The word {@code mmproj} with one separator beside it: {@code -mmproj}, {@code mmproj-}, {@code .mmproj}... */
  private static final Pattern PROJECTOR_WORD = Pattern.compile("^mmproj[-_.]|[-_.]?mmproj(?=[-_.]|$)");

  private ModelKeys() {
  }

  /** The model name of a GGUF file, or empty for a file that is not a model (a vision projector). */
  public static Optional<String> nameOf(String fileName) {
    String lower = fileName.toLowerCase(Locale.ROOT);
    if (!lower.endsWith(".gguf") || lower.contains(PROJECTOR)) {
      return Optional.empty();
    }
    return key(lower);
  }

  /**
   * For a vision projector, the name of the model it belongs to: its own name without {@code mmproj}
   * ({@code Gemma-3-4b-it-mmproj-q4_0.gguf} belongs to {@code gemma-3-4b-it}); empty for other files.
   */
  public static Optional<String> projectorOf(String fileName) {
    String lower = fileName.toLowerCase(Locale.ROOT);
    if (!lower.endsWith(".gguf") || !lower.contains(PROJECTOR)) {
      return Optional.empty();
    }
    return key(PROJECTOR_WORD.matcher(lower).replaceFirst(""));
  }

  private static Optional<String> key(String lowerFileName) {
    String base = lowerFileName.substring(0, lowerFileName.length() - ".gguf".length());
    String name = QUANTIZATION.matcher(base).replaceFirst("");
    return VALID_NAME.matcher(name).matches() ? Optional.of(name) : Optional.empty();
  }
}
