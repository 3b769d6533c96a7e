package io.lmbridge.chat;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChatEventMergerTest {

  @Test
  void adjacentDeltasOfOneChoiceAndKindAreJoinedInOrder() {
    List<ChatEvent> merged = ChatEventMerger.merge(List.of(
        new ChatEvent.ReasoningDelta(0, "think", null),
        new ChatEvent.ReasoningDelta(0, "ing", "sig"),
        new ChatEvent.TextDelta(0, "Hel"),
        new ChatEvent.TextDelta(0, "lo"),
        new ChatEvent.TextDelta(1, "other"),
        new ChatEvent.TextDelta(0, "!"),
        new ChatEvent.Finish(0, FinishReason.STOP)));

    assertThat(merged).containsExactly(
        new ChatEvent.ReasoningDelta(0, "thinking", "sig"),
        new ChatEvent.TextDelta(0, "Hello"),
        new ChatEvent.TextDelta(1, "other"),
        new ChatEvent.TextDelta(0, "!"),
        new ChatEvent.Finish(0, FinishReason.STOP));
  }

  @Test
  void joinedDeltasKeepEveryTokensLogprobsInOrder() {
    TokenLogprob hel = new TokenLogprob("Hel", -0.1, List.of(72, 101, 108), List.of());
    TokenLogprob lo = new TokenLogprob("lo", -0.2, List.of(108, 111), List.of());

    List<ChatEvent> merged = ChatEventMerger.merge(List.of(new ChatEvent.TextDelta(0, "Hel", List.of(hel)),
        new ChatEvent.TextDelta(0, "lo", List.of(lo)), new ChatEvent.TextDelta(1, "x"), new ChatEvent.TextDelta(1, "y")));

    assertThat(merged).containsExactly(new ChatEvent.TextDelta(0, "Hello", List.of(hel, lo)),
        new ChatEvent.TextDelta(1, "xy", null));
  }
}
