package io.lmbridge.config;

/**
 * The Realtime API ({@code /v1/realtime}) on this node.
 *
 * @param maxSessions        open WebSocket sessions this node accepts; more are refused with 503
 * @param idleTimeoutSeconds a session with no client event and no response in flight is closed after this
 * @param maxFrameBytes      largest WebSocket frame (restart to change: the HTTP server holds it)
 * @param maxMessageBytes    largest client event, frames joined (restart to change)
 */
public record RealtimeConfig(int maxSessions, int idleTimeoutSeconds, int maxFrameBytes, int maxMessageBytes) {

  /** Whether the limits the HTTP server was created with differ. */
  public boolean serverLimitsDifferFrom(RealtimeConfig running) {
    return maxFrameBytes != running.maxFrameBytes || maxMessageBytes != running.maxMessageBytes;
  }
}
