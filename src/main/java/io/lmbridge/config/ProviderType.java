package io.lmbridge.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The wire formats the gateway has adapters for. */
public enum ProviderType {
  /** OpenAI Chat Completions: OpenAI itself, xAI, and any OpenAI-compatible server. */
  OPENAI,
  /** Anthropic's Messages API. */
  ANTHROPIC,
  /** Google's native Gemini API ({@code generateContent}). */
  GEMINI,
  /** Ollama's native API ({@code /api/chat}). */
  OLLAMA,
  /** Local GGUF models run by this gateway's own runners (see {@code llama}): no URL, no key. */
  LLAMA;

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<ProviderType> parse(String value) {
    return Arrays.stream(values()).filter(type -> type.configName().equals(value)).findFirst();
  }
}
