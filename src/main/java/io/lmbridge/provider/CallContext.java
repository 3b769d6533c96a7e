package io.lmbridge.provider;

/** What an adapter knows about the call it serves, and how it learns that the client went away. */
public final class CallContext {

  private final String requestId;
  private Runnable onCancel = () -> {
  };
  private boolean cancelled;

  CallContext(String requestId) {
    this.requestId = requestId;
  }

  public String requestId() {
    return requestId;
  }

  /** Runs {@code action} when the call is cancelled, at once if it already was. */
  public void onCancel(Runnable action) {
    onCancel = action;
    if (cancelled) {
      action.run();
    }
  }

  public boolean isCancelled() {
    return cancelled;
  }

  void cancel() {
    if (!cancelled) {
      cancelled = true;
      onCancel.run();
    }
  }
}
