package io.lmbridge.chat.openai;

import io.lmbridge.chat.TokenLogprob;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Generated tokens with their log probabilities as OpenAI writes them, in Chat Completions'
 * {@code logprobs.content} and the Responses API's {@code logprobs}: {@code token}, {@code logprob},
 * {@code bytes} and {@code top_logprobs}.
 */
public final class TokenLogprobsJson {

  private TokenLogprobsJson() {
  }

  public static JsonArray write(List<TokenLogprob> tokens) {
    JsonArray array = new JsonArray();
    tokens.forEach(token -> array.add(entry(token).put("top_logprobs",
        new JsonArray(token.topLogprobs().stream().map(TokenLogprobsJson::entry).toList()))));
    return array;
  }

  /** Lenient, as for anything read from an upstream: entries that are not objects are skipped. */
  public static List<TokenLogprob> read(JsonArray array) {
    List<TokenLogprob> tokens = new ArrayList<>();
    for (Object item : array) {
      if (item instanceof JsonObject token) {
        tokens.add(read(token));
      }
    }
    return tokens;
  }

  private static JsonObject entry(TokenLogprob token) {
    return new JsonObject().put("token", token.token()).put("logprob", token.logprob())
        .put("bytes", token.bytes() == null ? null : new JsonArray(token.bytes()));
  }

  private static TokenLogprob read(JsonObject token) {
    List<TokenLogprob> top = token.getValue("top_logprobs") instanceof JsonArray alternatives
        ? read(alternatives) : List.of();
    List<Integer> bytes = token.getValue("bytes") instanceof JsonArray array
        ? array.stream().filter(Number.class::isInstance).map(number -> ((Number) number).intValue()).toList()
        : null;
    double logprob = token.getValue("logprob") instanceof Number number ? number.doubleValue()
        : Double.NEGATIVE_INFINITY;
    return new TokenLogprob(token.getString("token", ""), logprob, bytes, top);
  }
}
