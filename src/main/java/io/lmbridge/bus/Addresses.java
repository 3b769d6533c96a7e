package io.lmbridge.bus;

/** Every event-bus address the gateway uses. */
public final class Addresses {

  /** Published to every provider node: body is the call id to cancel. */
  public static final String CANCEL = "lmbridge.cancel";

  private static final String PROVIDER = "lmbridge.provider.";
  private static final String INBOX = "lmbridge.inbox.";
  private static final String MODELS = "lmbridge.models.";

  private Addresses() {
  }

  /** Where the adapter of a provider (by its configured name) takes chat calls. */
  public static String provider(String name) {
    return PROVIDER + name;
  }

  /** Where a provider that can tell which models it serves answers {@link ModelListing} requests. */
  public static String models(String provider) {
    return MODELS + provider;
  }

  /** Where one ingress instance receives the streams it asked for; the id is unique per instance. */
  public static String inbox(String instanceId) {
    return INBOX + instanceId;
  }
}
