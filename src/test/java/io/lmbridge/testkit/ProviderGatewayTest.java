package io.lmbridge.testkit;

import com.openai.client.OpenAIClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a provider adapter's tests stand on: the provider's test upstream, an image server, and a
 * gateway configured (as an operator would, from files) to reach the upstream, with quick retries and
 * images fetchable from 127.0.0.1. Every test starts from the upstream's default reply, and after
 * each, nothing the gateway sent may have broken the provider's spec.
 *
 * @param <U> the provider's test upstream
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ProviderGatewayTest<U extends ScriptedUpstream<?>> {

  protected Vertx vertx;
  protected U upstream;
  protected ImageServer images;
  protected TestGateway gateway;
  protected Http http;
  protected OpenAIClient client;

  protected abstract U startUpstream(Vertx vertx);

  /** The {@code providers} section of the gateway's config file. */
  protected abstract JsonObject providers(U upstream);

  /** The gateway's env file: keys, and whatever else the provider is configured by. */
  protected abstract String envFile(U upstream);

  @BeforeAll
  void startGateway() {
    vertx = Vertx.vertx();
    upstream = startUpstream(vertx);
    images = ImageServer.start(vertx);
    gateway = TestGateway.start(new JsonObject()
            .put("retries", new JsonObject().put("max_retries", 2).put("initial_backoff_ms", 10)
                .put("max_backoff_ms", 1000))
            .put("images", new JsonObject().put("allow_private_networks", true))
            .put("providers", providers(upstream)),
        envFile(upstream));
    http = new Http(vertx, gateway.port());
    client = gateway.openAi();
  }

  @AfterAll
  void stopGateway() {
    gateway.close();
    vertx.close().await();
  }

  @BeforeEach
  void resetUpstream() {
    upstream.reset();
  }

  @AfterEach
  void everyRequestMetTheSpec() {
    assertThat(upstream.violations()).as("spec violations").isEmpty();
  }
}
