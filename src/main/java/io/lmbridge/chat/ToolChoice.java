package io.lmbridge.chat;

/** @param function the function to call when {@code mode} is {@link Mode#FUNCTION} */
public record ToolChoice(Mode mode, String function) {

  public enum Mode { AUTO, NONE, REQUIRED, FUNCTION }

  public static ToolChoice of(Mode mode) {
    return new ToolChoice(mode, null);
  }
}
