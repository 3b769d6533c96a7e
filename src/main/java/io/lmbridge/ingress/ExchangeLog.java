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

/**
 * What one chat request's log row will say, filled in as the exchange goes and sent to this node's
 * request log once when it ends. Sending is fire-and-forget: the log never delays an answer.
 */
final class ExchangeLog {

  private final RoutingContext ctx;
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
  private String responseBody;
  private boolean sent;

  ExchangeLog(RoutingContext ctx, RequestLogConfig settings, String dialect, boolean stream) {
    this.ctx = ctx;
    this.settings = settings;
    this.dialect = dialect;
    this.stream = stream;
  }

  void route(ModelRouter.Route route) {
    this.route = route;
  }

  void cacheHit() {
    cacheHit = true;
  }

  boolean wasCacheHit() {
    return cacheHit;
  }

  void firstEvent() {
    if (firstEventNanos == 0) {
      firstEventNanos = System.nanoTime();
    }
  }

  void upstreamMillis(Double millis) {
    upstreamMillis = millis;
  }

  void answered(Usage usage, String body) {
    this.usage = usage;
    this.responseBody = body;
  }

  void failed(ApiError failure) {
    error = failure;
    status = failure.status();
    responseBody = failure.toOpenAiJson().encode();
  }

  /** Sends the row; later calls do nothing, so every way an exchange can end may call it. */
  void send(EventBus bus) {
    if (sent || !settings.enabled()) {
      return;
    }
    sent = true;
    long now = System.nanoTime();
    bus.send(Addresses.REQUEST_LOG, new RequestLogRow(
        RequestIds.of(ctx),
        createdAt,
        ctx.request().path(),
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
        settings.storeBodies() ? BodyRedactor.redact(ctx.body().asString(), settings.maxBodyBytes()) : null,
        settings.storeBodies() ? BodyRedactor.redact(responseBody, settings.maxBodyBytes()) : null));
  }
}
