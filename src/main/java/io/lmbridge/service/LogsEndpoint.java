package io.lmbridge.service;

import io.lmbridge.bus.Addresses;
import io.lmbridge.bus.BusFailures;
import io.lmbridge.bus.ServiceActions;
import io.lmbridge.chat.ApiError;
import io.lmbridge.chat.JsonFields;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * {@code GET /v1/logs}, {@code GET /v1/logs/{request_id}} and {@code GET /v1/analytics/usage}: this
 * node's request log. Query parameters are checked here; the log verticle runs the queries.
 */
public final class LogsEndpoint {

  private static final int DEFAULT_PAGE = 50;
  private static final int MAX_PAGE = 1000;

  private final EventBus bus;

  public LogsEndpoint(EventBus bus) {
    this.bus = bus;
  }

  /** Filters {@code model}, {@code provider}, {@code status}, {@code since}, {@code until}; pages by {@code before}. */
  public void list(RoutingContext ctx) {
    JsonObject query = filters(ctx)
        .put("limit", integer(ctx, "limit", DEFAULT_PAGE, 1, MAX_PAGE))
        .put("before", longParam(ctx, "before"));
    ask(ctx, ServiceActions.LIST, query);
  }

  public void get(RoutingContext ctx) {
    String requestId = ctx.pathParam("request_id");
    reply(ctx, bus.<JsonObject>request(Addresses.REQUEST_LOG_QUERY, new JsonObject().put("request_id", requestId),
            action(ServiceActions.GET))
        .map(Message::body)
        .compose(row -> row.isEmpty() ? Future.failedFuture(ApiError.notFound(
            "no logged request with id '" + requestId + "'", "request_id", "request_not_found").exception())
            : Future.succeededFuture(row)));
  }

  /** {@code group_by} model (default), provider, hour or day, with the same filters as listings. */
  public void usage(RoutingContext ctx) {
    String groupBy = ctx.queryParams().get("group_by");
    ask(ctx, ServiceActions.USAGE, filters(ctx).put("group_by", groupBy == null ? "model" : groupBy));
  }

  private void ask(RoutingContext ctx, String action, JsonObject query) {
    reply(ctx, bus.<JsonObject>request(Addresses.REQUEST_LOG_QUERY, query, action(action)).map(Message::body));
  }

  private static void reply(RoutingContext ctx, Future<JsonObject> answer) {
    answer.onComplete(done -> {
      if (done.succeeded()) {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(done.result().toBuffer());
      } else {
        ctx.fail(BusFailures.toApiError(done.cause(), "the request log").exception());
      }
    });
  }

  private static JsonObject filters(RoutingContext ctx) {
    JsonObject query = new JsonObject()
        .put("model", ctx.queryParams().get("model"))
        .put("provider", ctx.queryParams().get("provider"))
        .put("since", time(ctx, "since"))
        .put("until", time(ctx, "until"));
    String status = ctx.queryParams().get("status");
    if (status != null) {
      query.put("status", status.equals("error") || status.equals("success") ? status
          : integer(ctx, "status", 0, 100, 599));
    }
    return query;
  }

  /** Epoch seconds, or an ISO-8601 instant such as {@code 2026-11-25T10:00:00Z}; as epoch milliseconds. */
  private static Long time(RoutingContext ctx, String name) {
    String value = ctx.queryParams().get(name);
    if (value == null) {
      return null;
    }
    try {
      return value.chars().allMatch(Character::isDigit) ? Long.parseLong(value) * 1000
          : Instant.parse(value).toEpochMilli();
    } catch (NumberFormatException | DateTimeParseException e) {
      throw JsonFields.invalid(name, "expected epoch seconds or an ISO-8601 time such as 2026-11-25T10:00:00Z");
    }
  }

  private static int integer(RoutingContext ctx, String name, int fallback, int min, int max) {
    String value = ctx.queryParams().get(name);
    if (value == null) {
      return fallback;
    }
    try {
      int number = Integer.parseInt(value);
      if (number >= min && number <= max) {
        return number;
      }
    } catch (NumberFormatException ignored) {
      // answered below, with the range
    }
    throw JsonFields.invalid(name, "expected an integer from " + min + " to " + max);
  }

  private static Long longParam(RoutingContext ctx, String name) {
    String value = ctx.queryParams().get(name);
    try {
      return value == null ? null : Long.valueOf(value);
    } catch (NumberFormatException e) {
      throw JsonFields.invalid(name, "expected the next_before value of the previous page");
    }
  }

  private static DeliveryOptions action(String action) {
    return new DeliveryOptions().addHeader(ServiceActions.ACTION, action);
  }
}
