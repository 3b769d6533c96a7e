package io.lmbridge.chat;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;

/** What a person needs to hear about JSON that does not parse: the request body, a realtime event, a config file. */
public final class JsonSyntax {

  private JsonSyntax() {
  }

  /**
   * The parser's own words and the position, without the decoder's prefix and the parser's source
   * excerpts (redacted, so they only say that they are).
   */
  public static String describe(RuntimeException decodeFailure) {
    if (!(decodeFailure.getCause() instanceof JsonProcessingException parser)) {
      return decodeFailure.getMessage();
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
