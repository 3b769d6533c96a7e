package io.lmbridge.config;

import java.util.Locale;

/** How a local model's JSON output ({@code response_format}) is enforced ({@code llama.structured_mode}). */
public enum StructuredMode {
  /** A grammar made from the schema constrains decoding; a schema that makes no grammar is refused. */
  STRICT,
  /**
   * The grammar when the engine can make one; java-llama.cpp falls back to the instruction alone
   * where it cannot, llama.cpp refuses such a schema as in strict mode.
   */
  AUTO,
  /** Only an instruction describes the schema. */
  PROMPT,
  /** Nothing is enforced or checked. */
  OFF;

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
