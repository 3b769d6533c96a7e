package io.lmbridge.ingress;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.lmbridge.chat.ApiError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
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
      return body.toJsonObject();
    } catch (DecodeException | ClassCastException e) {
      if (!body.toString().stripLeading().startsWith("{")) {
        throw ApiError.invalidRequest("the request body must be a JSON object", null).exception();
      }
      throw ApiError.invalidRequest("the request body is not valid JSON: " + whatAndWhere(e), null).exception();
    }
  }

  /**
   * The parser's own words and the position, without the decoder's prefix and the parser's source
   * excerpts (redacted, so they only say that they are).
   */
  private static String whatAndWhere(RuntimeException e) {
    if (!(e.getCause() instanceof JsonProcessingException parser)) {
      return e.getMessage();
    }
    String what = parser.getOriginalMessage();
    int excerpt = what.indexOf(" (start marker at");
    if (excerpt >= 0) {
      what = what.substring(0, excerpt);
    }
    JsonLocation where = parser.getLocation();
    return where == null ? what : what + " at line " + where.getLineNr() + ", column " + where.getColumnNr();
  }
}
