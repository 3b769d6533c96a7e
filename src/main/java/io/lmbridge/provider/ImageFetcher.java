package io.lmbridge.provider;

import io.lmbridge.chat.ApiError;
import io.lmbridge.chat.ApiException;
import io.lmbridge.chat.ChatRequest;
import io.lmbridge.chat.ContentPart;
import io.lmbridge.chat.DataUrl;
import io.lmbridge.chat.Message;
import io.lmbridge.config.ImagesConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Turns the image URLs of a request into bytes for providers that only take inline images: data
 * URLs are decoded, http(s) URLs fetched with a size limit and a timeout. A URL whose host resolves
 * to a loopback, private, link-local or multicast address is refused unless config allows it, and
 * the connection goes to the address that was checked, so DNS rebinding cannot slip past the check.
 * Redirects are not followed, for the same reason.
 */
public final class ImageFetcher {

  private final Vertx vertx;
  private final HttpClient http;

  public ImageFetcher(Vertx vertx, HttpClient http) {
    this.vertx = vertx;
    this.http = http;
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
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      return Future.failedFuture(refused(param, "expected an http(s) URL or a data: URL"));
    }
    String host = uri.getHost();
    return vertx.executeBlocking(() -> InetAddress.getAllByName(host), false)
        .recover(failure -> Future.failedFuture(refused(param, "cannot resolve host '" + host + "'")))
        .compose(addresses -> {
          if (!config.allowPrivateNetworks()) {
            for (InetAddress address : addresses) {
              if (!isPublic(address)) {
                return Future.failedFuture(refused(param, "the image host '" + host
                    + "' resolves to a private, loopback or link-local address, which the gateway does not fetch"
                    + " from (images.allow_private_networks)"));
              }
            }
          }
          int port = uri.getPort() > 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
          return download(url, SocketAddress.inetSocketAddress(port, addresses[0].getHostAddress()), param, config);
        });
  }

  private Future<DataUrl> download(String url, SocketAddress server, String param, ImagesConfig config) {
    long timeoutMillis = TimeUnit.SECONDS.toMillis(config.timeoutSeconds());
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setAbsoluteURI(url)
        .setServer(server)
        .setConnectTimeout(timeoutMillis)
        .setIdleTimeout(timeoutMillis)
        .putHeader(HttpHeaders.ACCEPT, "image/*");
    Promise<DataUrl> result = Promise.promise();
    http.request(options).onComplete(opened -> {
      if (opened.failed()) {
        result.tryFail(refused(param, "cannot fetch the image: " + opened.cause().getMessage()));
        return;
      }
      HttpClientRequest request = opened.result();
      long timer = vertx.setTimer(timeoutMillis, fired -> {
        if (result.tryFail(refused(param, "fetching the image took more than " + config.timeoutSeconds() + " s"))) {
          request.reset();
        }
      });
      result.future().onComplete(done -> vertx.cancelTimer(timer));
      request.send().onComplete(sent -> {
        if (sent.failed()) {
          result.tryFail(refused(param, "cannot fetch the image: " + sent.cause().getMessage()));
        } else {
          read(sent.result(), request, param, config.maxBytes(), result);
        }
      });
    });
    return result.future();
  }

  private static void read(HttpClientResponse response, HttpClientRequest request, String param, long maxBytes,
                           Promise<DataUrl> result) {
    // Set first: resetting a refused download fails the response too, which must not go unhandled.
    response.exceptionHandler(failure ->
        result.tryFail(refused(param, "the image download failed: " + failure.getMessage())));
    String type = response.getHeader(HttpHeaders.CONTENT_TYPE);
    String mediaType = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    String length = response.getHeader(HttpHeaders.CONTENT_LENGTH);
    String problem = null;
    if (response.statusCode() != 200) {
      problem = "the image URL answered HTTP " + response.statusCode();
    } else if (!mediaType.startsWith("image/")) {
      problem = "the URL is not an image (Content-Type: " + (type == null ? "none" : type) + ")";
    } else if (length != null && parseLength(length) > maxBytes) {
      problem = tooLarge(maxBytes);
    }
    if (problem != null) {
      result.tryFail(refused(param, problem));
      request.reset();
      return;
    }
    Buffer bytes = Buffer.buffer();
    response.handler(chunk -> {
      bytes.appendBuffer(chunk);
      if (bytes.length() > maxBytes && result.tryFail(refused(param, tooLarge(maxBytes)))) {
        request.reset();
      }
    });
    response.endHandler(end ->
        result.tryComplete(new DataUrl(mediaType, Base64.getEncoder().encodeToString(bytes.getBytes()))));
  }

  private static long parseLength(String length) {
    try {
      return Long.parseLong(length.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String tooLarge(long maxBytes) {
    return "the image is larger than " + maxBytes + " bytes (images.max_bytes)";
  }

  private static ApiException refused(String param, String problem) {
    return new ApiError(400, "invalid_request_error", param + ": " + problem, param, "invalid_image_url", null)
        .exception();
  }

  /**
   * Whether an address is on the public internet: not unspecified, loopback, link-local, private
   * (RFC 1918, IPv6 unique-local), carrier-grade NAT, multicast or broadcast. IPv4-mapped IPv6
   * addresses come back from the resolver as IPv4, so they are checked as such.
   */
  public static boolean isPublic(InetAddress address) {
    if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
        || address.isSiteLocalAddress() || address.isMulticastAddress()) {
      return false;
    }
    byte[] bytes = address.getAddress();
    if (address instanceof Inet4Address) {
      int first = bytes[0] & 0xff;
      int second = bytes[1] & 0xff;
      boolean thisNetwork = first == 0;
      boolean carrierNat = first == 100 && second >= 64 && second < 128;
      boolean broadcast = first == 255;
      return !thisNetwork && !carrierNat && !broadcast;
    }
    boolean uniqueLocal = (bytes[0] & 0xfe) == 0xfc;
    return !uniqueLocal;
  }
}
