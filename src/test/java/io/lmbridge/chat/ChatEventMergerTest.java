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
}
