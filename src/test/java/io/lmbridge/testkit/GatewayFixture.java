package io.lmbridge.testkit;

import io.vertx.core.Vertx;

import java.util.function.Function;

/**
 * What most gateway tests stand on: a Vert.x for the test side, an OpenAI-wire upstream expecting
 * key {@code sk-test}, a gateway configured against it, and a raw HTTP client for the gateway.
 */
public record GatewayFixture(Vertx vertx, OpenAiUpstream upstream, TestGateway gateway, Http http)
    implements AutoCloseable {

  public static final String KEY = "sk-test";

  /** A gateway whose {@code openai} provider is the upstream. */
  public static GatewayFixture start() {
    return start(TestGateway::withOpenAi);
  }

  public static GatewayFixture start(Function<OpenAiUpstream, TestGateway> gatewayFor) {
    Vertx vertx = Vertx.vertx();
    OpenAiUpstream upstream = OpenAiUpstream.start(vertx, KEY).await();
    TestGateway gateway = gatewayFor.apply(upstream);
    return new GatewayFixture(vertx, upstream, gateway, new Http(vertx, gateway.port()));
  }

  @Override
  public void close() {
    gateway.close();
    vertx.close().await();
  }
}
