package io.lmbridge.chat;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** A piece of message content. Images are URLs: http(s) or {@code data:} URLs with base64 bytes. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ContentPart.Text.class, name = "text"),
    @JsonSubTypes.Type(value = ContentPart.Image.class, name = "image")
})
public sealed interface ContentPart {

  record Text(String text) implements ContentPart {
  }

  /** @param detail OpenAI's {@code low|high|auto}, or null */
  record Image(String url, String detail) implements ContentPart {
  }
}
