package io.lmbridge.chat;

/** Token counts; cached and reasoning tokens are already included in prompt and completion tokens. */
public record Usage(int promptTokens, int completionTokens, int cachedTokens, int reasoningTokens) {

  public int totalTokens() {
    return promptTokens + completionTokens;
  }
}
