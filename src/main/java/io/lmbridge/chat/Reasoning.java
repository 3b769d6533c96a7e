package io.lmbridge.chat;

/**
 * Reasoning options: OpenAI-style {@code effort} ({@code minimal|low|medium|high}) and
 * Anthropic-style thinking {@code budgetTokens}; adapters use what their provider understands.
 */
public record Reasoning(String effort, Integer budgetTokens) {
}
