package io.lmbridge.chat;

import java.util.Locale;
import java.util.Optional;

/**
 * A base64 {@code data:} URL, as clients send inline images ({@code data:image/png;base64,iVBOR...}),
 * split into what providers that take raw bytes want: the media type and the base64 text.
 */
public record DataUrl(String mediaType, String data) {

  private static final String PREFIX = "data:";
  private static final String BASE64 = ";base64";

  /** Empty for anything that is not a base64 data URL (an http URL, or percent-encoded data). */
  public static Optional<DataUrl> parse(String url) {
    if (url == null || !url.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      return Optional.empty();
    }
    int comma = url.indexOf(',');
    if (comma < 0) {
      return Optional.empty();
    }
    String header = url.substring(PREFIX.length(), comma);
    if (!header.regionMatches(true, header.length() - BASE64.length(), BASE64, 0, BASE64.length())) {
      return Optional.empty();
    }
    // Parameters such as ";charset=..." may sit between the type and ";base64"; only the type matters.
    String mediaType = header.substring(0, header.length() - BASE64.length());
    int parameters = mediaType.indexOf(';');
    if (parameters >= 0) {
      mediaType = mediaType.substring(0, parameters);
    }
    return Optional.of(new DataUrl(mediaType.isEmpty() ? "text/plain" : mediaType.toLowerCase(Locale.ROOT), url.substring(comma + 1)));
  }
}
