package io.lmbridge.provider.gemini;

import io.lmbridge.chat.ChatEvent;
import io.lmbridge.chat.FinishReason;
import io.lmbridge.chat.Usage;
import io.lmbridge.provider.ChunkTranslator;
import io.lmbridge.provider.ObjectToolCalls;
import io.lmbridge.provider.UpstreamError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gemini {@code GenerateContentResponse}s in canonical events: a whole response, or each chunk of a
 * stream in turn (one instance per call, since tool call positions count across chunks). Function
 * calls come whole, usually without ids, so each gets a fresh id, which carries the call's thought
 * signature ({@link SignedCallIds}); the signature is also reasoning, as are thought parts.
 */
final class GeminiEvents implements ChunkTranslator {

  private final String provider;
  private final Map<Integer, Integer> toolCallsByCandidate = new HashMap<>();
  private final Set<Integer> finished = new HashSet<>();

  GeminiEvents(String provider) {
    this.provider = provider;
  }

  @Override
  public List<ChatEvent> translate(JsonObject response) {
    List<ChatEvent> events = new ArrayList<>();
    Object error = response.getValue("error");
    if (error != null) {
      // An error sent in place of a chunk, after the HTTP status was already 200.
      int status = error instanceof JsonObject object && object.getValue("code") instanceof Integer code
          && code >= 400 ? code : 502;
      events.add(new ChatEvent.Failure(UpstreamError.of(provider, status, response.toBuffer(), null)));
      return events;
    }
    JsonArray candidates = response.getJsonArray("candidates", new JsonArray());
    for (int i = 0; i < candidates.size(); i++) {
      candidate(candidates.getJsonObject(i), i, events);
    }
    JsonObject feedback = response.getJsonObject("promptFeedback");
    if (candidates.isEmpty() && feedback != null && feedback.getString("blockReason") != null
        && finished.add(0)) {
      // The prompt itself was blocked: no candidate at all, which OpenAI clients know as a filtered answer.
      events.add(new ChatEvent.Finish(0, FinishReason.CONTENT_FILTER));
    }
    JsonObject usage = response.getJsonObject("usageMetadata");
    if (usage != null) {
      events.add(new ChatEvent.UsageReport(usage(usage)));
    }
    return events;
  }

  private void candidate(JsonObject candidate, int position, List<ChatEvent> events) {
    int choice = candidate.getInteger("index", position);
    JsonObject content = candidate.getJsonObject("content", new JsonObject());
    for (Object item : content.getJsonArray("parts", new JsonArray())) {
      JsonObject part = (JsonObject) item;
      String text = part.getString("text");
      JsonObject call = part.getJsonObject("functionCall");
      if (call != null) {
        int index = toolCallsByCandidate.merge(choice, 1, Integer::sum) - 1;
        String id = call.getString("id") != null ? call.getString("id") : ObjectToolCalls.newId();
        String signature = part.getString("thoughtSignature");
        events.add(new ChatEvent.ToolCallDelta(choice, index, SignedCallIds.sign(id, signature), call.getString("name"),
            ObjectToolCalls.argumentsText(call.getJsonObject("args"))));
        if (signature != null) {
          events.add(new ChatEvent.ReasoningDelta(choice, null, signature));
        }
      } else if (text != null && Boolean.TRUE.equals(part.getBoolean("thought"))) {
        events.add(new ChatEvent.ReasoningDelta(choice, text, null));
      } else if (text != null && !text.isEmpty()) {
        events.add(new ChatEvent.TextDelta(choice, text));
      }
    }
    String reason = candidate.getString("finishReason");
    if (reason != null && !"FINISH_REASON_UNSPECIFIED".equals(reason) && finished.add(choice)) {
      events.add(new ChatEvent.Finish(choice, finishReason(reason, toolCallsByCandidate.containsKey(choice))));
    }
  }

  private static FinishReason finishReason(String reason, boolean calledTools) {
    return switch (reason) {
      case "MAX_TOKENS" -> FinishReason.LENGTH;
      case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY" ->
          FinishReason.CONTENT_FILTER;
      default -> calledTools ? FinishReason.TOOL_CALLS : FinishReason.STOP;
    };
  }

  /** Gemini counts thoughts apart from the answer; OpenAI's completion tokens include reasoning. */
  private static Usage usage(JsonObject usage) {
    int thoughts = usage.getInteger("thoughtsTokenCount", 0);
    return new Usage(
        usage.getInteger("promptTokenCount", 0) + usage.getInteger("toolUsePromptTokenCount", 0),
        usage.getInteger("candidatesTokenCount", 0) + thoughts,
        usage.getInteger("cachedContentTokenCount", 0),
        thoughts);
  }
}
