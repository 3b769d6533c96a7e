package io.lmbridge.service;

import io.lmbridge.chat.ApiError;
import io.lmbridge.chat.JsonFields;
import io.lmbridge.ingress.JsonBodies;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** {@code POST /v1/service/stop} and {@code POST /v1/service/shutdown}. */
public final class ServiceEndpoint {

  private final ServiceControl control;

  public ServiceEndpoint(ServiceControl control) {
    this.control = control;
  }

  /** Body {@code {"request_id": "..."}} stops that request; no body (or no id) stops every one. */
  public void stop(RoutingContext ctx) {
    JsonObject body = ctx.body().length() <= 0 ? new JsonObject() : JsonBodies.object(ctx);
    String requestId = JsonFields.of(body).string("request_id");
    control.stop(requestId).onComplete(done -> {
      if (done.failed()) {
        ctx.fail(done.cause());
        return;
      }
      int stopped = done.result();
      if (requestId != null && stopped == 0) {
        ctx.fail(ApiError.notFound("no request with id '" + requestId + "' is in flight", "request_id",
            "request_not_found").exception());
        return;
      }
      json(ctx, 200, new JsonObject().put("stopped", stopped).put("request_id", requestId));
    });
  }

  /** Answers at once, then drains and stops the node; the process exits when it is done. */
  public void shutdown(RoutingContext ctx) {
    ctx.addEndHandler(v -> control.shutdown());
    json(ctx, 202, new JsonObject().put("status", "shutting_down"));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.toBuffer());
  }
}
