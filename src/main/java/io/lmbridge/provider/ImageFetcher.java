package io.lmbridge.provider;

import io.lmbridge.chat.ApiError;
import io.lmbridge.chat.ApiException;
import io.lmbridge.chat.ChatRequest;
import io.lmbridge.chat.ContentPart;
import io.lmbridge.chat.DataUrl;
import io.lmbridge.chat.Message;
import io.lmbridge.config.ImagesConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Turns the image URLs of a request into bytes for providers that only take inline images: data
 * URLs are decoded, http(s) URLs fetched by an {@link ImageDownload}, which refuses hosts outside
 * the public internet (unless config allows them), redirects included.
 */
public final class ImageFetcher {

  private final Vertx vertx;
  private final HttpClient http;
  private final Predicate<InetAddress> isPublic;

  public ImageFetcher(Vertx vertx, HttpClient http) {
    this(vertx, http, PublicAddresses::isPublic);
  }

  /** With {@code isPublic} in place of the real rules, for tests that play a public server on 127.0.0.1. */
  ImageFetcher(Vertx vertx, HttpClient http, Predicate<InetAddress> isPublic) {
    this.vertx = vertx;
    this.http = http;
    this.isPublic = isPublic;
  }

  /** Every image of the request, fetched concurrently; fails with a 400 naming the first bad image. */
  public Future<InlineImages> inline(ChatRequest request, ImagesConfig config) {
    Map<String, String> paramByUrl = new LinkedHashMap<>();
    for (int m = 0; m < request.messages().size(); m++) {
      Message message = request.messages().get(m);
      for (int p = 0; p < message.content().size(); p++) {
        if (message.content().get(p) instanceof ContentPart.Image image) {
          paramByUrl.putIfAbsent(image.url(), "messages[" + m + "].content[" + p + "].image_url");
        }
      }
    }
    if (paramByUrl.isEmpty()) {
      return Future.succeededFuture(InlineImages.NONE);
    }
    List<String> urls = new ArrayList<>(paramByUrl.keySet());
    List<Future<DataUrl>> images = urls.stream().map(url -> image(url, paramByUrl.get(url), config)).toList();
    return Future.all(images).map(done -> {
      Map<String, DataUrl> byUrl = new LinkedHashMap<>();
      for (int i = 0; i < urls.size(); i++) {
        byUrl.put(urls.get(i), images.get(i).result());
      }
      return new InlineImages(byUrl);
    });
  }

  private Future<DataUrl> image(String url, String param, ImagesConfig config) {
    if (url.regionMatches(true, 0, "data:", 0, 5)) {
      return DataUrl.parse(url)
          .filter(inline -> inline.mediaType().startsWith("image/"))
          .map(Future::succeededFuture)
          .orElseGet(() -> Future.failedFuture(refused(param, "expected a base64 data URL of an image "
              + "(data:image/png;base64,...)")));
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return Future.failedFuture(refused(param, "not a valid URL"));
    }
    return new ImageDownload(vertx, http, isPublic, param, config).start(uri);
  }

  static ApiException refused(String param, String problem) {
    return new ApiError(400, "invalid_request_error", param + ": " + problem, param, "invalid_image_url", null)
        .exception();
  }
}
