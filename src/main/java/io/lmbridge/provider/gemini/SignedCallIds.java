package io.lmbridge.provider.gemini;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Tool call ids that carry the {@code thoughtSignature} of Gemini's function call. Gemini requires
 * the signature back with the call on the next turn, and Chat Completions has no field for it, but
 * every client sends the call id back: {@code call_<random>__ts__<signature in base64url>}. The
 * encoding keeps ids to letters, digits, {@code _} and {@code -}, as other providers want them.
 */
final class SignedCallIds {

  private static final String SEPARATOR = "__ts__";

  private SignedCallIds() {
  }

  /** {@code id} with {@code signature} in it, or {@code id} alone when there is none. */
  static String sign(String id, String signature) {
    if (signature == null) {
      return id;
    }
    return id + SEPARATOR + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(signature.getBytes(StandardCharsets.UTF_8));
  }

  /** The signature in an id made by {@link #sign}; null for any other id. */
  static String signature(String id) {
    int at = id == null ? -1 : id.indexOf(SEPARATOR);
    if (at < 0) {
      return null;
    }
    try {
      return new String(Base64.getUrlDecoder().decode(id.substring(at + SEPARATOR.length())),
          StandardCharsets.UTF_8);
    } catch (IllegalArgumentException notOurs) {
      // A client's own id that happens to contain the separator carries no signature.
      return null;
    }
  }
}
