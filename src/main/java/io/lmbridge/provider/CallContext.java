package io.lmbridge.provider;

/** What an adapter knows about the call it serves, and how it learns that the client went away. */
public final class CallContext {

  private final String callId;
  private final String requestId;
  private Runnable onCancel = () -> {
  };
  private boolean cancelled;

  CallContext(String callId, String requestId) {
    this.callId = callId;
    this.requestId = requestId;
  }

  public String callId() {
    return callId;
  }

  public String requestId() {
    return requestId;
  }

  public boolean cancelled() {
    return cancelled;
  }

  /** Runs {@code action} when the call is cancelled, at once if it already was. */
  public void onCancel(Runnable action) {
    onCancel = action;
    if (cancelled) {
      action.run();
    }
  }

  void cancel() {
    if (!cancelled) {
      cancelled = true;
      onCancel.run();
    }
  }
}
