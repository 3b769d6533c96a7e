package io.lmbridge.cache;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.lmbridge.chat.ChatRequest;
import io.vertx.core.json.jackson.VertxModule;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The cache key of a request: a SHA-256 over the model key and the canonical request as the provider
 * will see it. Hashing the parsed form, with object keys sorted, makes key order and whitespace in
 * the client's JSON irrelevant; streaming, the end user and metadata do not change the answer, so
 * they are left out and a streamed request hits what a plain one stored.
 */
public final class CacheKey {

  private static final ObjectMapper CANONICAL = new ObjectMapper()
      .registerModule(new VertxModule())
      .setSerializationInclusion(JsonInclude.Include.NON_NULL)
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private CacheKey() {
  }

  public static String of(String modelKey, ChatRequest request) {
    ChatRequest answerShaping = new ChatRequest(request.model(), request.messages(), request.tools(),
        request.toolChoice(), request.parallelToolCalls(), request.responseFormat(), request.sampling(),
        request.reasoning(), false, Map.of(), null,
        request.passthrough() == null || request.passthrough().isEmpty() ? null : request.passthrough());
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(modelKey.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) '\n');
      return HexFormat.of().formatHex(sha.digest(CANONICAL.writeValueAsBytes(answerShaping)));
    } catch (NoSuchAlgorithmException | JsonProcessingException e) {
      throw new IllegalStateException("cannot hash a chat request", e);
    }
  }
}
