package io.lmbridge.chat;

import java.util.Locale;

public enum FinishReason {
  STOP, LENGTH, TOOL_CALLS, CONTENT_FILTER;

  /** The OpenAI name, which is also what every client dialect uses. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
