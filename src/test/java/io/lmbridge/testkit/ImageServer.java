package io.lmbridge.testkit;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;

import java.util.Base64;

/**
 * Serves images on 127.0.0.1 for the gateway to fetch: a small PNG, an HTML page, an oversized "image",
 * a redirect to any URL ({@code /redirect?to=...}), and chains of redirects to the PNG ({@code /hops/3}
 * redirects three times).
 */
public final class ImageServer {

  /** A 1x1 transparent PNG. */
  public static final String PNG_BASE64 =
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
  public static final int BIG_BYTES = 64 * 1024;

  private final HttpServer server;

  private ImageServer(HttpServer server) {
    this.server = server;
  }

  public static ImageServer start(Vertx vertx) {
    HttpServer server = vertx.createHttpServer().requestHandler(request -> {
      switch (request.path()) {
        case "/pixel.png" -> request.response().putHeader("Content-Type", "image/png")
            .end(Buffer.buffer(Base64.getDecoder().decode(PNG_BASE64)));
        case "/page.html" -> request.response().putHeader("Content-Type", "text/html").end("<html></html>");
        case "/big.png" -> request.response().putHeader("Content-Type", "image/png")
            .end(Buffer.buffer(new byte[BIG_BYTES]));
        case "/redirect" -> request.response().setStatusCode(302).putHeader("Location", request.getParam("to")).end();
        default -> {
          if (request.path().startsWith("/hops/")) {
            int left = Integer.parseInt(request.path().substring("/hops/".length()));
            request.response().setStatusCode(301)
                .putHeader("Location", left == 1 ? "/pixel.png" : "/hops/" + (left - 1)).end();
          } else {
            request.response().setStatusCode(404).end();
          }
        }
      }
    });
    return new ImageServer(server.listen(0, "127.0.0.1").await());
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }
}
