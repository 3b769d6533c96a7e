package io.lmbridge.chat;

import java.util.Locale;
import java.util.Optional;

/**
 * A base64 {@code data:} URL, as clients send inline images: {@code data:image/png;base64,iVBOR...}.
 *
 * @param mediaType lower-cased, without parameters ({@code image/png})
 * @param data      the base64 text, untouched
 */
public record DataUrl(String mediaType, String data) {

  private static final String BASE64 = ";base64";

  /** The URL again: {@code data:MEDIA_TYPE;base64,DATA}. */
  public String toUrl() {
    return "data:" + mediaType + BASE64 + "," + data;
  }

  /** The URL's parts, or empty when it is not a base64 data URL with a media type. */
  public static Optional<DataUrl> parse(String url) {
    if (url == null || !url.regionMatches(true, 0, "data:", 0, 5)) {
      return Optional.empty();
    }
    int comma = url.indexOf(',');
    if (comma < 0) {
      return Optional.empty();
    }
    String header = url.substring(5, comma);
    if (!header.toLowerCase(Locale.ROOT).endsWith(BASE64)) {
      return Optional.empty();
    }
    String mediaType = header.substring(0, header.length() - BASE64.length());
    int parameters = mediaType.indexOf(';');
    if (parameters >= 0) {
      mediaType = mediaType.substring(0, parameters);
    }
    if (mediaType.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(new DataUrl(mediaType.strip().toLowerCase(Locale.ROOT), url.substring(comma + 1)));
  }
}
