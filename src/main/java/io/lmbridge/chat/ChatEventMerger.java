package io.lmbridge.chat;

import java.util.ArrayList;
import java.util.List;

/**
 * Joins text deltas that arrived together: a batch of forty one-token deltas becomes one delta of
 * forty tokens, so it is one SSE chunk or one realtime event, not forty. Clients append deltas, so
 * what they build is the same, and a fast model (a local one, or an upstream burst) costs one frame
 * per batch instead of one per token. Only adjacent deltas of the same choice and kind are joined,
 * so order never changes.
 */
public final class ChatEventMerger {

  private ChatEventMerger() {
  }

  public static List<ChatEvent> merge(List<ChatEvent> events) {
    if (events.size() < 2) {
      return events;
    }
    List<ChatEvent> merged = new ArrayList<>(events.size());
    for (ChatEvent event : events) {
      ChatEvent last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last instanceof ChatEvent.TextDelta previous && event instanceof ChatEvent.TextDelta next
          && previous.choice() == next.choice()) {
        merged.set(merged.size() - 1, new ChatEvent.TextDelta(next.choice(), previous.text() + next.text(),
            joined(previous.logprobs(), next.logprobs())));
      } else if (last instanceof ChatEvent.ReasoningDelta previous && event instanceof ChatEvent.ReasoningDelta next
          && previous.choice() == next.choice() && previous.signature() == null && previous.text() != null
          && next.text() != null) {
        merged.set(merged.size() - 1,
            new ChatEvent.ReasoningDelta(next.choice(), previous.text() + next.text(), next.signature()));
      } else {
        merged.add(event);
      }
    }
    return merged;
  }

  /** Both lists in order; null when neither delta carries any. */
  public static List<TokenLogprob> joined(List<TokenLogprob> first, List<TokenLogprob> second) {
    if (first == null || second == null) {
      return first == null ? second : first;
    }
    List<TokenLogprob> joined = new ArrayList<>(first);
    joined.addAll(second);
    return joined;
  }
}
