package io.lmbridge.node;

import java.util.Locale;

/** What a node runs: the HTTP/WebSocket ingress, the provider adapters, or both (the default). */
public enum Role {
  INGRESS, PROVIDERS;

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
