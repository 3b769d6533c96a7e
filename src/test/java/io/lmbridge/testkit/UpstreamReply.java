package io.lmbridge.testkit;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

  /** The text cut into word-sized stream pieces. */
  List<String> pieces() {
    List<String> pieces = new ArrayList<>();
    Matcher words = Pattern.compile("\\S+\\s*|\\s+").matcher(text);
    while (words.find()) {
      pieces.add(words.group());
    }
    return pieces;
  }
}
