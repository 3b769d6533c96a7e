package io.lmbridge.bus;

/** The {@code action} header values of the cache, request-log and local-model addresses (see {@link Addresses}). */
public final class ServiceActions {

  public static final String ACTION = "action";
  public static final String GET = "get";
  public static final String PUT = "put";
  public static final String STATS = "stats";
  public static final String LIST = "list";
  public static final String USAGE = "usage";
  public static final String ACQUIRE = "acquire";
  public static final String LOAD = "load";
  public static final String UNLOAD = "unload";

  private ServiceActions() {
  }
}
