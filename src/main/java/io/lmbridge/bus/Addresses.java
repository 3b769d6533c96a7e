package io.lmbridge.bus;

/** Every event-bus address the gateway uses. */
public final class Addresses {

  /** Published to every provider node: body is the call id to cancel. */
  public static final String CANCEL = "lmbridge.cancel";

  /**
   * This node's response cache (a local consumer: each node asks its own, which in a cluster reads
   * the shared map). Header {@link ServiceActions#ACTION}: {@code get} (body: the key; reply: the
   * {@code ChatResponse} or null), {@code put} (body: a {@link CacheEntry}; no reply), {@code stats}
   * (reply: a JSON object).
   */
  public static final String CACHE = "lmbridge.cache";

  /** This node's request log (local): body a {@code RequestLogRow}, sent without reply. */
  public static final String REQUEST_LOG = "lmbridge.request-log";

  /**
   * Reads of this node's request log (local). Header {@link ServiceActions#ACTION}: {@code list},
   * {@code get}, {@code usage} (body: the query as JSON) or {@code stats}; reply: a JSON object.
   */
  public static final String REQUEST_LOG_QUERY = "lmbridge.request-log.query";

  /**
   * This node's local model manager (local consumer). Header {@link ServiceActions#ACTION}:
   * {@code acquire} (body {@code {"model"}}; reply {@code {"runner_id"}} once that model's runner is ready),
   * {@code list}, {@code load} ({@code {"model","gpu_layers"}}), {@code unload} ({@code {"model"}}).
   */
  public static final String LOCAL_MODELS = "lmbridge.local.models";

  /** Published on this node when a runner stops, expectedly or not: body {@code {"runner_id","reason"}}. */
  public static final String RUNNER_GONE = "lmbridge.local.runner-gone";

  private static final String STOP = "lmbridge.service.stop.";
  private static final String PROVIDER = "lmbridge.provider.";
  private static final String INBOX = "lmbridge.inbox.";
  private static final String MODELS = "lmbridge.models.";

  private Addresses() {
  }

  /** The provider name a runner's model serves under (see {@link #runner}). */
  public static String runnerName(String runnerId) {
    return "runner." + runnerId;
  }

  /** Where a runner process takes chat calls for its model, under the same contract as a provider. */
  public static String runner(String runnerId) {
    return provider(runnerName(runnerId));
  }

  /**
   * Where runners started by one gateway node say they are ready ({@code {"runner_id","event":"ready",
   * "pid","context_size","slots"}}) or could not load ({@code "event":"failed","error"}).
   */
  public static String runnerEvents(String nodeId) {
    return "lmbridge.local.runner-events." + nodeId;
  }

  /**
   * Where a provider that serves embeddings takes them (local models only, today): body
   * {@code {"model","input":["text", ...]}}, reply {@code {"embeddings":[[float, ...], ...],"prompt_tokens"}}.
   * A runner registers it only when its model was loaded with embeddings on.
   */
  public static String embeddings(String provider) {
    return "lmbridge.embeddings." + provider;
  }

  /** Where a provider adapter (by its configured name) takes chat calls. */
  public static String provider(String name) {
    return PROVIDER + name;
  }

  /**
   * Where a node stops the chat requests its ingress is answering: body {@code {"request_id"}} (absent
   * for all), reply {@code {"cancelled": n}}.
   */
  public static String stop(String nodeId) {
    return STOP + nodeId;
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
