package io.lmbridge.provider;

import io.lmbridge.chat.ContentPart;
import io.lmbridge.chat.DataUrl;

import java.util.Map;

/** The bytes of every image in a request, by URL, for the providers that take images inline. */
public record InlineImages(Map<String, DataUrl> byUrl) {

  public static final InlineImages NONE = new InlineImages(Map.of());

  public InlineImages {
    byUrl = Map.copyOf(byUrl);
  }

  public DataUrl of(ContentPart.Image image) {
    DataUrl inline = byUrl.get(image.url());
    if (inline == null) {
      throw new IllegalStateException("image not inlined before translation: " + image.url());
    }
    return inline;
  }
}
