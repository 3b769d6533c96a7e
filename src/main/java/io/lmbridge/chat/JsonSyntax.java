package io.lmbridge.chat;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.util.function.Supplier;

/**
 * Reads text that must hold one JSON object (a request body, a realtime event, a config file) and
 * says what is wrong in words for a person: the parser's own sentence and the line and column,
 * without the decoder's prefix and the parser's source excerpts (redacted, so they only say that
 * they are).
 */
public final class JsonSyntax {

  private JsonSyntax() {
  }

  /**
   * @param what names the text in the error, e.g. "the request body"
   * @throws IllegalArgumentException "WHAT is not valid JSON: ..." or "WHAT must be a JSON object"
   */
  public static JsonObject object(String what, String text) {
    return parse(what, () -> new JsonObject(text), () -> text);
  }

  /** As {@link #object(String, String)}, parsing the bytes without decoding them to a string first. */
  public static JsonObject object(String what, Buffer text) {
    return parse(what, text::toJsonObject, text::toString);
  }

  private static JsonObject parse(String what, Supplier<JsonObject> decode, Supplier<String> text) {
    try {
      return decode.get();
    } catch (DecodeException | ClassCastException e) {
      if (!text.get().stripLeading().startsWith("{")) {
        throw new IllegalArgumentException(what + " must be a JSON object");
      }
      throw new IllegalArgumentException(what + " is not valid JSON: " + describe(e));
    }
  }

  private static String describe(RuntimeException decodeFailure) {
    if (!(decodeFailure.getCause() instanceof JsonProcessingException parser)) {
      return decodeFailure.getMessage();
    }
    String sentence = parser.getOriginalMessage();
    int excerpt = sentence.indexOf(" (start marker at");
    if (excerpt >= 0) {
      sentence = sentence.substring(0, excerpt);
    }
    JsonLocation where = parser.getLocation();
    return where == null ? sentence
        : sentence + " at line " + where.getLineNr() + ", column " + where.getColumnNr();
  }
}
