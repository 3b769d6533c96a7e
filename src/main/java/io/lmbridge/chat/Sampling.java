package io.lmbridge.chat;

import java.util.List;

/** Generation parameters; null means "the provider's default". */
public record Sampling(
    Double temperature,
    Double topP,
    Integer topK,
    Integer maxTokens,
    List<String> stop,
    Long seed,
    Double presencePenalty,
    Double frequencyPenalty,
    Integer n) {

  public static final Sampling NONE = new Sampling(null, null, null, null, null, null, null, null, null);
}
