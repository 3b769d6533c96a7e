package io.lmbridge.chat;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.vertx.core.json.JsonObject;

/**
 * A piece of message content. Images are URLs: http(s) or {@code data:} URLs with base64 bytes.
 * {@code cacheControl} is Anthropic's prompt-caching marker ({@code {"type":"ephemeral"}}) as the
 * client wrote it; providers without explicit caching ignore it.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ContentPart.Text.class, name = "text"),
    @JsonSubTypes.Type(value = ContentPart.Image.class, name = "image")
})
public sealed interface ContentPart {

  JsonObject cacheControl();

  record Text(String text, JsonObject cacheControl) implements ContentPart {

    public Text(String text) {
      this(text, null);
    }
  }

  /** @param detail OpenAI's {@code low|high|auto}, or null */
  record Image(String url, String detail, JsonObject cacheControl) implements ContentPart {

    public Image(String url, String detail) {
      this(url, detail, null);
    }
  }
}
