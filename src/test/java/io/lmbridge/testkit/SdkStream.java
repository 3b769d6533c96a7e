package io.lmbridge.testkit;

import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;

import java.util.ArrayList;
import java.util.List;

/**
 * A Chat Completions stream read to its end through openai-java: every chunk, the non-empty content
 * deltas in order, and the completion the SDK's accumulator builds from them.
 */
public record SdkStream(List<ChatCompletionChunk> chunks, List<String> deltas, ChatCompletion completion) {

  public static SdkStream read(OpenAIClient client, ChatCompletionCreateParams params) {
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    List<String> deltas = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
      stream.stream().forEach(chunk -> {
        chunks.add(chunk);
        accumulator.accumulate(chunk);
        chunk.choices().forEach(choice -> choice.delta().content().filter(s -> !s.isEmpty()).ifPresent(deltas::add));
      });
    }
    return new SdkStream(chunks, deltas, accumulator.chatCompletion());
  }

  public ChatCompletionChunk last() {
    return chunks.get(chunks.size() - 1);
  }

  /** The chunk that carries the usage (asked for with {@code stream_options.include_usage}). */
  public ChatCompletionChunk usageChunk() {
    return chunks.stream().filter(chunk -> chunk.usage().isPresent()).reduce((first, second) -> second).orElseThrow();
  }
}
