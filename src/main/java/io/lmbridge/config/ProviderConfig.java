package io.lmbridge.config;

import java.util.List;
import java.util.Map;

/**
 * One upstream provider.
 *
 * @param name            the {@code provider} part of model keys ({@code openai} in {@code openai:gpt-4o})
 * @param type            the wire format its adapter speaks
 * @param apiKey          resolved from the JSON file or the variable {@code apiKeyVariable}; null when unset
 * @param maxTokensField  {@code max_completion_tokens} (OpenAI today) or {@code max_tokens} (most compatible servers)
 */
public record ProviderConfig(
    String name,
    ProviderType type,
    String baseUrl,
    String apiKey,
    String apiKeyVariable,
    List<String> models,
    Map<String, String> headers,
    String maxTokensField) {

  public ProviderConfig {
    models = List.copyOf(models);
    headers = Map.copyOf(headers);
  }

  /** The environment variable prefix for this provider: {@code my-llm} gives {@code MY_LLM}. */
  public static String variablePrefix(String providerName) {
    return providerName.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
  }

  public boolean hasKey() {
    return apiKey != null && !apiKey.isBlank();
  }

  /** Never prints the key. */
  @Override
  public String toString() {
    return "ProviderConfig[name=" + name + ", type=" + type + ", baseUrl=" + baseUrl
        + ", apiKey=" + (hasKey() ? "***" : "unset") + ", models=" + models + "]";
  }
}
