package io.lmbridge.ingress;

import io.lmbridge.chat.ApiError;
import io.lmbridge.chat.JsonSyntax;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The request body as a JSON object, or a 400 that says what is wrong with it. */
public final class JsonBodies {

  private JsonBodies() {
  }

  public static JsonObject object(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      throw ApiError.invalidRequest("the request body is empty; expected a JSON object", null).exception();
    }
    try {
      return JsonSyntax.object("the request body", body);
    } catch (IllegalArgumentException e) {
      throw ApiError.invalidRequest(e.getMessage(), null).exception();
    }
  }
}
