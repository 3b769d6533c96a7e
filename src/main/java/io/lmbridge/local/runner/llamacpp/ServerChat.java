package io.lmbridge.local.runner.llamacpp;

import io.lmbridge.chat.ChatEvent;
import io.lmbridge.chat.ChatRequest;
import io.lmbridge.chat.ResponseFormat;
import io.lmbridge.chat.Sampling;
import io.lmbridge.chat.TokenLogprob;
import io.lmbridge.chat.openai.ChatCompletionsChunks;
import io.lmbridge.chat.openai.ChatCompletionsRequests;
import io.lmbridge.local.runner.RequestPlan;
import io.lmbridge.local.runner.RunnerSpec;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * A chat request as llama-server's OpenAI-compatible JSON, and its stream read back into canonical
 * events: the same translation the gateway uses for OpenAI-compatible upstreams, plus the runner's
 * defaults.
 */
final class ServerChat {

  private static final String SOURCE = "local model";
  private static final String DATA = "data: ";
  private static final String DONE = "[DONE]";

  private ServerChat() {
  }

  /** Always streamed: a whole answer is the stream accumulated, so both go through the same checks. */
  static JsonObject body(ChatRequest request, RequestPlan plan, RunnerSpec spec) {
    RequestPlan.Constraint constraint = plan.constraint();
    ChatRequest rewritten = request.withMessages(plan.turns())
        .withTools(plan.templateTools(), plan.templateTools().isEmpty() ? null : request.toolChoice())
        .withResponseFormat(constraint == null ? null : new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA,
            "answer", null, constraint.schema(), true))
        .withStream(true);
    JsonObject body = ChatCompletionsRequests.write(rewritten, "max_tokens");
    body.remove("model");
    Sampling sampling = request.sampling();
    if (sampling.topK() == null) {
      body.put("top_k", spec.topK());
    }
    if (sampling.topP() == null) {
      body.put("top_p", spec.topP());
    }
    if (sampling.topLogprobs() != null) {
      // llama.cpp computes a token's probability only among the alternatives asked for.
      body.put("top_logprobs", Math.max(1, sampling.topLogprobs()));
    }
    if (request.reasoning() != null && request.reasoning().budgetTokens() != null) {
      body.put("reasoning_budget_tokens", request.reasoning().budgetTokens());
    }
    return body;
  }

  /**
   * The payloads of a piece of llama-server's stream: each {@code data:} line's JSON text, up to
   * {@code [DONE]}; pings and blank lines carry none.
   *
   * @return the payloads, and null in their place once {@code [DONE]} was seen
   */
  static List<String> payloads(String sse) {
    List<String> payloads = new ArrayList<>();
    for (String line : sse.split("\n")) {
      if (line.startsWith(DATA)) {
        String data = line.substring(DATA.length()).strip();
        payloads.add(DONE.equals(data) ? null : data);
      }
    }
    return payloads;
  }

  /**
   * The canonical events of one chunk, with each token's alternatives cut to what the client asked
   * for ({@link #body} asks llama.cpp for at least one).
   */
  static List<ChatEvent> events(String payload, Integer topLogprobs) {
    List<ChatEvent> events = ChatCompletionsChunks.parse(new JsonObject(payload), SOURCE);
    if (topLogprobs == null || topLogprobs > 0) {
      return events;
    }
    return events.stream().map(event -> event instanceof ChatEvent.TextDelta text && text.logprobs() != null
        ? new ChatEvent.TextDelta(text.choice(), text.text(), text.logprobs().stream()
            .map(token -> new TokenLogprob(token.token(), token.logprob(), token.bytes(), List.of())).toList())
        : event).toList();
  }
}
