package io.lmbridge.ingress;

import io.lmbridge.chat.Ids;
import io.vertx.ext.web.RoutingContext;

/**
 * Every response carries {@code x-request-id}: the client's own when it sent one, else a new one,
 * ordered by time (see {@link Ids#timeOrdered}) since it keys the request log.
 */
public final class RequestIds {

  public static final String HEADER = "x-request-id";
  private static final String KEY = "lmbridge.requestId";
  private static final int MAX_LENGTH = 128;

  private RequestIds() {
  }

  static void assign(RoutingContext ctx) {
    String id = ctx.request().getHeader(HEADER);
    if (id == null || id.isBlank() || id.length() > MAX_LENGTH) {
      id = Ids.timeOrdered();
    }
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER, id);
    ctx.next();
  }

  public static String of(RoutingContext ctx) {
    return ctx.get(KEY);
  }
}
