package io.lmbridge.provider;

import io.lmbridge.chat.DataUrl;
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

import java.net.InetAddress;
import java.net.URI;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One image fetched over http(s) with a size limit and a timeout for the whole fetch. Every hop,
 * the first and each redirect (at most {@link #MAX_REDIRECTS}), has its host resolved and checked
 * before the gateway connects, and the connection goes to the address that was checked, so neither
 * a redirect nor DNS rebinding can lead the gateway into its own network.
 */
final class ImageDownload {

  static final int MAX_REDIRECTS = 3;
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

  private final Vertx vertx;
  private final HttpClient http;
  private final Predicate<InetAddress> isPublic;
  private final String param;
  private final ImagesConfig config;
  private final Promise<DataUrl> result = Promise.promise();
  private volatile HttpClientRequest inFlight;
  private int redirects;

  ImageDownload(Vertx vertx, HttpClient http, Predicate<InetAddress> isPublic, String param, ImagesConfig config) {
    this.vertx = vertx;
    this.http = http;
    this.isPublic = isPublic;
    this.param = param;
    this.config = config;
  }

  Future<DataUrl> start(URI url) {
    long timeoutMillis = TimeUnit.SECONDS.toMillis(config.timeoutSeconds());
    long timer = vertx.setTimer(timeoutMillis, fired -> {
      if (fail("fetching the image took more than " + config.timeoutSeconds() + " s") && inFlight != null) {
        inFlight.reset();
      }
    });
    result.future().onComplete(done -> vertx.cancelTimer(timer));
    hop(url);
    return result.future();
  }

  private void hop(URI url) {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
      fail(redirects == 0 ? "expected an http(s) URL or a data: URL"
          : "the image URL redirected to '" + url + "', which is not an http(s) URL");
      return;
    }
    String host = url.getHost();
    vertx.executeBlocking(() -> InetAddress.getAllByName(host), false).onComplete(resolved -> {
      if (resolved.failed()) {
        fail("cannot resolve host '" + host + "'");
        return;
      }
      InetAddress[] addresses = resolved.result();
      if (!config.allowPrivateNetworks()) {
        for (InetAddress address : addresses) {
          if (!isPublic.test(address)) {
            fail((redirects == 0 ? "the image host '" + host + "'"
                : "the image URL redirected to '" + url + "', whose host") + " resolves to a private, loopback or"
                + " link-local address, which the gateway does not fetch from (images.allow_private_networks)");
            return;
          }
        }
      }
      int port = url.getPort() > 0 ? url.getPort() : scheme.equals("https") ? 443 : 80;
      get(url, SocketAddress.inetSocketAddress(port, addresses[0].getHostAddress()));
    });
  }

  private void get(URI url, SocketAddress server) {
    if (result.future().isComplete()) {
      // Timed out while the host was being resolved.
      return;
    }
    long timeoutMillis = TimeUnit.SECONDS.toMillis(config.timeoutSeconds());
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setAbsoluteURI(url.toString())
        .setServer(server)
        .setConnectTimeout(timeoutMillis)
        .setIdleTimeout(timeoutMillis)
        .putHeader(HttpHeaders.ACCEPT, "image/*");
    http.request(options).onComplete(opened -> {
      if (opened.failed()) {
        fail("cannot fetch the image: " + opened.cause().getMessage());
        return;
      }
      HttpClientRequest request = opened.result();
      inFlight = request;
      request.send().onComplete(sent -> {
        if (sent.failed()) {
          fail("cannot fetch the image: " + sent.cause().getMessage());
        } else {
          answer(url, sent.result(), request);
        }
      });
    });
  }

  private void answer(URI url, HttpClientResponse response, HttpClientRequest request) {
    if (REDIRECTS.contains(response.statusCode())) {
      // Resetting fails the response, which is done with: its body is not wanted.
      response.exceptionHandler(ignored -> { });
      request.reset();
      redirect(url, response);
      return;
    }
    // Set before any reset: resetting a refused download fails the response too, which must not go unhandled.
    response.exceptionHandler(failure -> fail("the image download failed: " + failure.getMessage()));
    String type = response.getHeader(HttpHeaders.CONTENT_TYPE);
    String mediaType = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    String length = response.getHeader(HttpHeaders.CONTENT_LENGTH);
    String problem = null;
    if (response.statusCode() != 200) {
      problem = "the image URL answered HTTP " + response.statusCode();
    } else if (!mediaType.startsWith("image/")) {
      problem = "the URL is not an image (Content-Type: " + (type == null ? "none" : type) + ")";
    } else if (length != null && parseLength(length) > config.maxBytes()) {
      problem = tooLarge();
    }
    if (problem != null) {
      fail(problem);
      request.reset();
      return;
    }
    Buffer bytes = Buffer.buffer();
    response.handler(chunk -> {
      bytes.appendBuffer(chunk);
      if (bytes.length() > config.maxBytes() && fail(tooLarge())) {
        request.reset();
      }
    });
    response.endHandler(end ->
        result.tryComplete(new DataUrl(mediaType, Base64.getEncoder().encodeToString(bytes.getBytes()))));
  }

  private void redirect(URI from, HttpClientResponse response) {
    String location = response.getHeader(HttpHeaders.LOCATION);
    if (location == null) {
      fail("the image URL answered HTTP " + response.statusCode() + " without a Location");
    } else if (++redirects > MAX_REDIRECTS) {
      fail("the image URL redirected more than " + MAX_REDIRECTS + " times");
    } else {
      try {
        hop(from.resolve(location.strip()));
      } catch (IllegalArgumentException e) {
        fail("the image URL redirected to an invalid URL '" + location + "'");
      }
    }
  }

  /** Fails the fetch with a 400 on the image unless it already ended; whether this call ended it. */
  private boolean fail(String problem) {
    return result.tryFail(ImageFetcher.refused(param, problem));
  }

  private static long parseLength(String length) {
    try {
      return Long.parseLong(length.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private String tooLarge() {
    return "the image is larger than " + config.maxBytes() + " bytes (images.max_bytes)";
  }
}
