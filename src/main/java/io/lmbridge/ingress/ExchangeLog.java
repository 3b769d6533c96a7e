package io.lmbridge.ingress;

import io.lmbridge.bus.Addresses;
import io.lmbridge.chat.ApiError;
import io.lmbridge.chat.Usage;
import io.lmbridge.config.RequestLogConfig;
import io.lmbridge.logging.BodyRedactor;
import io.lmbridge.logging.RequestLogRow;
import io.lmbridge.provider.ModelRouter;
import io.vertx.core.eventbus.EventBus;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;
import java.util.function.Supplier;

/**
 * What one chat request's log row will say, filled in as the exchange goes and sent to this node's
 * request log once when it ends. Sending is fire-and-forget: the log never delays an answer.
 */
public final class ExchangeLog {

  private final String requestId;
  private final String endpoint;
  private final Supplier<String> requestBody;
  private final RequestLogConfig settings;
  private final String dialect;
  private final boolean stream;
  private final long startedNanos = System.nanoTime();
  private final long createdAt = System.currentTimeMillis();
  private ModelRouter.Route route;
  private long firstEventNanos;
  private Double upstreamMillis;
  private Usage usage;
  private boolean cacheHit;
  private int status = 200;
  private ApiError error;
  private Supplier<String> responseBody;
  private boolean sent;

  private static final String KEY = "lmbridge.exchangeLog";
  /** The logged endpoints, by path, with the dialect a request that never got parsed is logged under. */
  private static final Map<String, String> DIALECTS = Map.of(
      "/v1/chat/completions", "chat_completions",
      "/v1/responses", "responses",
      "/v1/embeddings", "embeddings");

  /**
   * The row of an HTTP request, kept on its routing context so that a failure thrown later lands on
   * it (see {@link #failure}).
   */
  public static ExchangeLog of(RoutingContext ctx, RequestLogConfig settings, String dialect, boolean stream) {
    ExchangeLog log = new ExchangeLog(RequestIds.of(ctx), ctx.request().path(), () -> ctx.body().asString(),
        settings, dialect, stream);
    ctx.put(KEY, log);
    return log;
  }

  /**
   * Logs a failure an endpoint threw (bad JSON, a wrong field, an unknown model): on the request's
   * row, or on a new one when the endpoint failed before it made one. Paths the log does not cover
   * are left alone.
   */
  public static void failure(RoutingContext ctx, RequestLogConfig settings, ApiError error, EventBus bus) {
    ExchangeLog log = ctx.get(KEY);
    if (log == null) {
      String dialect = DIALECTS.get(ctx.request().path());
      if (dialect == null) {
        return;
      }
      log = of(ctx, settings, dialect, false);
    }
    log.failed(error);
    log.send(bus);
  }

  /** @param requestBody read only when the row is sent, and only if bodies are kept */
  public ExchangeLog(String requestId, String endpoint, Supplier<String> requestBody, RequestLogConfig settings,
                     String dialect, boolean stream) {
    this.requestId = requestId;
    this.endpoint = endpoint;
    this.requestBody = requestBody;
    this.settings = settings;
    this.dialect = dialect;
    this.stream = stream;
  }

  public void route(ModelRouter.Route route) {
    this.route = route;
  }

  void cacheHit() {
    cacheHit = true;
  }

  boolean wasCacheHit() {
    return cacheHit;
  }

  public void firstEvent() {
    if (firstEventNanos == 0) {
      firstEventNanos = System.nanoTime();
    }
  }

  public void upstreamMillis(Double millis) {
    upstreamMillis = millis;
  }

  /** @param body rendered only when the row is sent, and only if bodies are kept */
  public void answered(Usage usage, Supplier<String> body) {
    this.usage = usage;
    this.responseBody = body;
  }

  public void failed(ApiError failure) {
    error = failure;
    status = failure.status();
    responseBody = () -> failure.toOpenAiJson().encode();
  }

  /** Sends the row; later calls do nothing, so every way an exchange can end may call it. */
  public void send(EventBus bus) {
    if (sent || !settings.enabled()) {
      return;
    }
    sent = true;
    long now = System.nanoTime();
    bus.send(Addresses.REQUEST_LOG, new RequestLogRow(
        requestId,
        createdAt,
        endpoint,
        dialect,
        route == null ? null : route.provider(),
        route == null ? null : route.key(),
        stream,
        status,
        error == null ? null : error.type(),
        error == null ? null : error.message(),
        (now - startedNanos) / 1e6,
        firstEventNanos == 0 ? null : (firstEventNanos - startedNanos) / 1e6,
        upstreamMillis,
        usage == null ? null : usage.promptTokens(),
        usage == null ? null : usage.completionTokens(),
        usage == null ? null : usage.cachedTokens(),
        cacheHit,
        null,
        settings.storeBodies() ? BodyRedactor.redact(requestBody.get(), settings.maxBodyBytes()) : null,
        settings.storeBodies() && responseBody != null
            ? BodyRedactor.redact(responseBody.get(), settings.maxBodyBytes()) : null));
  }
}
