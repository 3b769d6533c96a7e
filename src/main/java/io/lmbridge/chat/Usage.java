package io.lmbridge.chat;

/**
 * Token counts; cached and reasoning tokens are already included in prompt and completion tokens.
 *
 * @param cachedTokens     prompt tokens read from the provider's prompt cache
 * @param cacheWriteTokens prompt tokens written to it (Anthropic bills these apart)
 */
public record Usage(int promptTokens, int completionTokens, int cachedTokens, int reasoningTokens,
                    int cacheWriteTokens) {

  public Usage(int promptTokens, int completionTokens, int cachedTokens, int reasoningTokens) {
    this(promptTokens, completionTokens, cachedTokens, reasoningTokens, 0);
  }

  public int totalTokens() {
    return promptTokens + completionTokens;
  }
}
