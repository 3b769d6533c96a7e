package io.lmbridge.bus;

/** The {@code action} header values of the cache and request-log addresses (see {@link Addresses}). */
public final class ServiceActions {

  public static final String ACTION = "action";
  public static final String GET = "get";
  public static final String PUT = "put";
  public static final String STATS = "stats";
  public static final String LIST = "list";
  public static final String USAGE = "usage";

  private ServiceActions() {
  }
}
