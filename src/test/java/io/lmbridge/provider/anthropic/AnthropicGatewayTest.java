package io.lmbridge.provider.anthropic;

import com.openai.client.OpenAIClient;
import io.lmbridge.testkit.AnthropicUpstream;
import io.lmbridge.testkit.Http;
import io.lmbridge.testkit.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the Anthropic tests stand on: a gateway whose built-in {@code anthropic} provider points at an
 * {@link AnthropicUpstream}, only its key and base URL set as an operator would (the env file), with
 * quick retries. After each test, nothing the gateway sent may have broken Anthropic's schema.
 */
abstract class AnthropicGatewayTest {

  static final String KEY = "sk-ant-test";

  static Vertx vertx;
  static AnthropicUpstream upstream;
  static TestGateway gateway;
  static Http http;
  static OpenAIClient client;

  @BeforeAll
  static void startGateway() {
    vertx = Vertx.vertx();
    upstream = AnthropicUpstream.start(vertx, KEY).await();
    gateway = TestGateway.start(new JsonObject()
            .put("retries", new JsonObject().put("max_retries", 2).put("initial_backoff_ms", 10)
                .put("max_backoff_ms", 1000)),
        "ANTHROPIC_API_KEY=" + KEY + "\nANTHROPIC_BASE_URL=" + upstream.baseUrl() + "\n");
    http = new Http(vertx, gateway.port());
    client = gateway.openAi();
  }

  @AfterAll
  static void stopGateway() {
    gateway.close();
    vertx.close().await();
  }

  @AfterEach
  void noSchemaViolations() {
    try {
      assertThat(upstream.violations()).as("CreateMessageParams violations").isEmpty();
    } finally {
      upstream.violations().clear();
      upstream.received().clear();
      upstream.reply(AnthropicUpstream.Reply.text("Hello from Claude"));
    }
  }
}
