package io.lmbridge.provider;

import io.lmbridge.config.LiveConfig;
import io.lmbridge.config.ProviderConfig;
import io.lmbridge.local.LocalModelsAdapter;
import io.lmbridge.provider.anthropic.AnthropicVerticle;
import io.lmbridge.provider.gemini.GeminiVerticle;
import io.lmbridge.provider.ollama.OllamaVerticle;
import io.lmbridge.provider.openai.OpenAiCompatibleVerticle;

/** Which adapter verticle serves a configured provider, by its wire type. */
public final class ProviderAdapters {

  private ProviderAdapters() {
  }

  public static ProviderVerticle create(ProviderConfig provider, LiveConfig config) {
    return switch (provider.type()) {
      case OPENAI -> new OpenAiCompatibleVerticle(provider.name(), config);
      case ANTHROPIC -> new AnthropicVerticle(provider.name(), config);
      case GEMINI -> new GeminiVerticle(provider.name(), config);
      case OLLAMA -> new OllamaVerticle(provider.name(), config);
      case LLAMA -> new LocalModelsAdapter(provider.name(), config);
    };
  }
}
