package io.lmbridge.chat;

import java.util.Locale;

public enum Role {
  SYSTEM, DEVELOPER, USER, ASSISTANT, TOOL;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
