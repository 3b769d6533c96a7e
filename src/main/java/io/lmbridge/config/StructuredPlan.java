package io.lmbridge.config;

import java.util.Locale;

/** Whether schemas and tools are described to a local model ({@code llama.structured_plan}). */
public enum StructuredPlan {
  /** In a system message, in the gateway's words. */
  SYSTEM,
  /** Tools through a chat template that renders them; schemas, and tools otherwise, in a system message. */
  AUTO,
  /** Not at all. */
  OFF;

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
