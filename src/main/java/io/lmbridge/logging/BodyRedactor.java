package io.lmbridge.logging;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Makes a body fit for the log: values of fields that name a secret are replaced, and the text is
 * cut to the configured size. Bodies without such a field (nearly all) are not parsed at all.
 */
public final class BodyRedactor {

  static final String REDACTED = "[redacted]";
  private static final Set<String> SECRET_FIELDS = Set.of("api_key", "apikey", "api-key", "x-api-key",
      "authorization", "password", "secret", "client_secret", "access_token", "refresh_token", "token");
  private static final Pattern MAYBE_SECRET = Pattern.compile(
      "\"(api[_-]?key|x-api-key|authorization|password|secret|client_secret|access_token|refresh_token|token)\"",
      Pattern.CASE_INSENSITIVE);

  private BodyRedactor() {
  }

  public static String redact(String body, int maxChars) {
    if (body == null) {
      return null;
    }
    String safe = body;
    if (MAYBE_SECRET.matcher(body).find()) {
      try {
        safe = redactValue(new JsonObject(body)).toString();
      } catch (DecodeException | ClassCastException notAnObject) {
        safe = REDACTED + " (not JSON, and it names a secret field)";
      }
    }
    return safe.length() <= maxChars ? safe : safe.substring(0, maxChars) + "...[truncated]";
  }

  private static Object redactValue(Object value) {
    if (value instanceof JsonObject object) {
      JsonObject copy = new JsonObject();
      object.forEach(field -> copy.put(field.getKey(), SECRET_FIELDS.contains(field.getKey().toLowerCase(Locale.ROOT))
          ? REDACTED : redactValue(field.getValue())));
      return copy;
    }
    if (value instanceof JsonArray array) {
      JsonArray copy = new JsonArray();
      array.forEach(item -> copy.add(redactValue(item)));
      return copy;
    }
    return value;
  }
}
