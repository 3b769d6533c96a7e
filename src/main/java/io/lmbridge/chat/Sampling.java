package io.lmbridge.chat;

import java.util.List;

/**
 * Generation parameters; null means "the provider's default".
 *
 * @param topLogprobs log probabilities of the generated tokens with this many alternatives each (0 to
 *     20); null for none
 */
public record Sampling(
    Double temperature,
    Double topP,
    Integer topK,
    Integer maxTokens,
    List<String> stop,
    Long seed,
    Double presencePenalty,
    Double frequencyPenalty,
    Integer n,
    Integer topLogprobs) {

  public static final Sampling NONE = new Sampling(null, null, null, null, null, null, null, null, null, null);
}
