package io.lmbridge.testkit;

import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;

/** A Responses API stream read to its end through openai-java, every event validated by the SDK. */
public final class SdkResponseStream {

  private SdkResponseStream() {
  }

  /** The response the SDK's accumulator builds from the stream. */
  public static Response read(OpenAIClient client, ResponseCreateParams params) {
    ResponseAccumulator accumulator = ResponseAccumulator.create();
    try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(params)) {
      stream.stream().forEach(event -> {
        event.validate();
        accumulator.accumulate(event);
      });
    }
    return accumulator.response();
  }
}
