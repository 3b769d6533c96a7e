package io.lmbridge.bus;

/** Every event-bus address the gateway uses. */
public final class Addresses {

  /** Published to every provider node: body is the call id to cancel. */
  public static final String CANCEL = "lmbridge.cancel";

  private static final String PROVIDER = "lmbridge.provider.";
  private static final String INBOX = "lmbridge.inbox.";

  private Addresses() {
  }

  /** Where the adapter of a provider (by its configured name) takes chat calls. */
  public static String provider(String name) {
    return PROVIDER + name;
  }

  /** Where one ingress instance receives the streams it asked for; the id is unique per instance. */
  public static String inbox(String instanceId) {
    return INBOX + instanceId;
  }
}
