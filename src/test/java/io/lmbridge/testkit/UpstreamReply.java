package io.lmbridge.testkit;

import io.vertx.core.json.JsonObject;

import java.util.List;

/** What a provider test upstream ({@link GeminiUpstream}, {@link OllamaUpstream}) answers next. */
public final class UpstreamReply {

  final int status;
  final String text;
  String reasoning;
  String toolName;
  JsonObject toolArguments;
  String finishReason;
  String blockReason;
  String retryAfter;
  boolean cutMidStream;

  private UpstreamReply(int status, String text) {
    this.status = status;
    this.text = text;
  }

  public static UpstreamReply text(String text) {
    return new UpstreamReply(200, text);
  }

  public static UpstreamReply toolCall(String name, JsonObject arguments) {
    UpstreamReply reply = new UpstreamReply(200, "");
    reply.toolName = name;
    reply.toolArguments = arguments;
    return reply;
  }

  /** An HTTP error in the provider's own error body; {@code message} is its text. */
  public static UpstreamReply error(int status, String message) {
    return new UpstreamReply(status, message);
  }

  public UpstreamReply withReasoning(String reasoning) {
    this.reasoning = reasoning;
    return this;
  }

  /** The provider's own finish reason ({@code SAFETY}, {@code length}...) instead of a normal stop. */
  public UpstreamReply finishingWith(String finishReason) {
    this.finishReason = finishReason;
    return this;
  }

  /** Gemini only: the prompt is blocked, no candidate comes back. */
  public UpstreamReply blockingPrompt(String blockReason) {
    this.blockReason = blockReason;
    return this;
  }

  public UpstreamReply retryAfter(String seconds) {
    this.retryAfter = seconds;
    return this;
  }

  /** The stream breaks off (the connection is reset) after the first pieces of text. */
  public UpstreamReply cutMidStream() {
    this.cutMidStream = true;
    return this;
  }

  /** Of a whole stream's frames, those sent: the first two only when the stream is cut. */
  List<String> framesSent(List<String> frames) {
    return cutMidStream ? frames.subList(0, Math.min(2, frames.size())) : frames;
  }

  /** The text cut into word-sized stream pieces. */
  List<String> pieces() {
    return ScriptedUpstream.words(text);
  }
}
