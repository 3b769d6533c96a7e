package io.lmbridge.ingress;

import io.lmbridge.bus.BusFailures;
import io.lmbridge.bus.ChatClient;
import io.lmbridge.chat.ApiError;
import io.lmbridge.config.LiveConfig;
import io.lmbridge.config.ServerConfig;
import io.lmbridge.ingress.chat.ChatCompletionsEndpoint;
import io.lmbridge.ingress.embeddings.EmbeddingsEndpoint;
import io.lmbridge.ingress.realtime.RealtimeEndpoint;
import io.lmbridge.ingress.responses.ResponsesEndpoint;
import io.lmbridge.node.NodeInfo;
import io.lmbridge.service.LocalModelsEndpoint;
import io.lmbridge.service.LogsEndpoint;
import io.lmbridge.service.ServiceControl;
import io.lmbridge.service.ServiceEndpoint;
import io.lmbridge.service.StatusEndpoint;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.time.Duration;
import java.util.function.Function;

/**
 * The HTTP front door. One instance per core, all on the same port; each parses client dialects,
 * hands chat calls to providers over the event bus, and renders what comes back.
 */
public final class IngressVerticle extends VerticleBase {

  private final LiveConfig config;
  private final NodeInfo node;
  private final ServiceControl control;
  private final Duration drainTimeout;
  private ChatClient client;
  private HttpServer server;

  public IngressVerticle(LiveConfig config, NodeInfo node, ServiceControl control, Duration drainTimeout) {
    this.config = config;
    this.node = node;
    this.control = control;
    this.drainTimeout = drainTimeout;
  }

  @Override
  public Future<?> start() {
    ServerConfig settings = config.get().server();
    client = new ChatClient(vertx);
    ChatExchange exchange = new ChatExchange(vertx, client, config, node.inFlight());
    Router router = router(settings, exchange);
    RealtimeEndpoint realtime = new RealtimeEndpoint(vertx, client, config, node.inFlight());
    server = vertx.createHttpServer(RealtimeEndpoint.configure(new HttpServerOptions()
        .setHost(settings.host())
        .setPort(settings.port())
        .setCompressionSupported(false)
        .setTcpNoDelay(true), config.get().realtime()));
    server.webSocketHandshakeHandler(realtime::handshake).webSocketHandler(realtime::connect);
    return client.start()
        .compose(v -> server.requestHandler(router).listen())
        .recover(failure -> Future.failedFuture(new IllegalStateException("cannot listen on " + settings.host() + ":"
            + settings.port() + ": " + failure.getMessage() + " (set GATEWAY_PORT or --port to use another port)",
            failure)));
  }

  /** Stops accepting and lets requests in flight finish, up to the drain timeout. */
  @Override
  public Future<?> stop() {
    return server.shutdown(drainTimeout).compose(v -> client.stop());
  }

  public int actualPort() {
    return server.actualPort();
  }

  private Router router(ServerConfig settings, ChatExchange exchange) {
    Router router = Router.router(vertx);
    router.route().handler(RequestIds::assign);
    // On each POST route rather than on every POST, which would make any path "exist" and answer
    // an unknown one with 405 instead of 404.
    BodyHandler body = BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes());
    Function<String, Route> post = path -> router.post(path).handler(body);

    ChatCompletionsEndpoint chat = new ChatCompletionsEndpoint(exchange);
    ResponsesEndpoint responses = new ResponsesEndpoint(exchange);
    ModelsEndpoint models = new ModelsEndpoint(config, vertx.eventBus());
    StatusEndpoint status = new StatusEndpoint(vertx.eventBus(), config, node);
    ServiceEndpoint service = new ServiceEndpoint(control);
    LogsEndpoint logs = new LogsEndpoint(vertx.eventBus());
    LocalModelsEndpoint localModels = new LocalModelsEndpoint(vertx.eventBus(), config);

    post.apply("/v1/chat/completions").handler(chat::handle);
    post.apply("/v1/responses").handler(responses::handle);
    post.apply("/v1/embeddings").handler(new EmbeddingsEndpoint(vertx.eventBus(), config)::handle);
    router.get("/v1/models").handler(models::list);
    router.get("/v1/models/:id").handler(models::get);
    router.get("/v1/service/status").handler(status::handle);
    post.apply("/v1/service/stop").handler(service::stop);
    post.apply("/v1/service/shutdown").handler(service::shutdown);
    router.get("/v1/logs").handler(logs::list);
    router.get("/v1/logs/:request_id").handler(logs::get);
    router.get("/v1/analytics/usage").handler(logs::usage);
    router.get("/v1/llama/models").handler(localModels::list);
    post.apply("/v1/llama/models/load").handler(localModels::load);
    post.apply("/v1/llama/models/unload").handler(localModels::unload);
    router.get("/health").handler(ctx -> ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("status", "ok").toBuffer()));

    router.route().failureHandler(ctx -> {
      ApiError error = failureOf(ctx, settings);
      ExchangeLog.failure(ctx, config.get().requestLog(), error, vertx.eventBus());
      HttpErrors.send(ctx.response(), error);
    });
    router.errorHandler(404, ctx -> HttpErrors.send(ctx.response(), ApiError.notFound(
        "Unknown request URL: " + ctx.request().method() + " " + ctx.request().path(), null, "unknown_url")));
    router.errorHandler(405, ctx -> HttpErrors.send(ctx.response(), new ApiError(405, "invalid_request_error",
        "Method " + ctx.request().method() + " is not allowed on " + ctx.request().path(), null,
        "method_not_allowed", null)));
    return router;
  }

  /** Every thrown or failed request ends here: an {@code ApiException} keeps its status, anything else is a logged 500. */
  private static ApiError failureOf(RoutingContext ctx, ServerConfig settings) {
    if (ctx.failure() != null) {
      return BusFailures.toApiError(ctx.failure(), "the gateway");
    }
    if (ctx.statusCode() == 413) {
      return new ApiError(413, "invalid_request_error",
          "Request body is larger than the limit of " + settings.maxBodyBytes() + " bytes", null,
          "request_too_large", null);
    }
    return ApiError.upstream(ctx.statusCode(), HttpResponseStatus.valueOf(ctx.statusCode()).reasonPhrase());
  }
}
