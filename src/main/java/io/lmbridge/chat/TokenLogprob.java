package io.lmbridge.chat;

import java.util.List;

/**
 * A generated token's log probability, with the most likely tokens at its position (OpenAI's
 * {@code logprobs.content} entries), for requests that ask for {@code logprobs}.
 *
 * @param bytes       the token's UTF-8 bytes, which may be part of a character; null when unknown
 * @param topLogprobs the alternatives, most likely first; empty when none were asked for
 */
public record TokenLogprob(String token, double logprob, List<Integer> bytes, List<TokenLogprob> topLogprobs) {

  public TokenLogprob {
    bytes = bytes == null ? null : List.copyOf(bytes);
    topLogprobs = topLogprobs == null ? List.of() : List.copyOf(topLogprobs);
  }
}
