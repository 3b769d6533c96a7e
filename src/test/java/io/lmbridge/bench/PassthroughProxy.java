package io.lmbridge.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * The floor for {@code scripts/bench.sh}: the least any HTTP gateway on Vert.x can add. It forwards
 * each request's bytes to the upstream and streams the answer's bytes back, with no parsing, no
 * translation and no event bus, one instance per core like the gateway's ingress. The difference
 * between it and the mock is the cost of a second HTTP hop on this machine; the difference between
 * it and the gateway is the gateway's own work.
 *
 * <p>Usage: {@code PassthroughProxy PORT UPSTREAM_PORT}
 */
public final class PassthroughProxy extends VerticleBase {

  private final int port;
  private final int upstreamPort;
  private HttpClient upstream;

  private PassthroughProxy(int port, int upstreamPort) {
    this.port = port;
    this.upstreamPort = upstreamPort;
  }

  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: PassthroughProxy PORT UPSTREAM_PORT");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    int upstreamPort = Integer.parseInt(args[1]);
    int instances = Runtime.getRuntime().availableProcessors();
    Vertx.vertx().deployVerticle(() -> new PassthroughProxy(port, upstreamPort),
            new DeploymentOptions().setInstances(instances))
        .onSuccess(id -> System.out.println("PassthroughProxy listening on http://127.0.0.1:" + port))
        .onFailure(failure -> {
          System.err.println("PassthroughProxy could not start: " + failure.getMessage());
          System.exit(1);
        });
  }

  @Override
  public Future<?> start() {
    upstream = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(512));
    return vertx.createHttpServer().requestHandler(this::forward).listen(port, "127.0.0.1");
  }

  private void forward(HttpServerRequest request) {
    if (request.path().equals("/health")) {
      request.response().end();
      return;
    }
    request.body()
        .compose(body -> upstream.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
                .setPort(upstreamPort).setURI(request.uri()).setHeaders(request.headers()))
            .compose(out -> out.send(body).compose(answer -> {
              request.response().setStatusCode(answer.statusCode()).headers().setAll(answer.headers());
              return answer.pipeTo(request.response());
            })))
        .onFailure(failure -> request.response().setStatusCode(502).end());
  }
}
