package io.lmbridge.provider.anthropic;

import io.lmbridge.testkit.AnthropicUpstream;
import io.lmbridge.testkit.ProviderGatewayTest;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * What the Anthropic tests stand on: the gateway's built-in {@code anthropic} provider pointed at an
 * {@link AnthropicUpstream} by its key and base URL alone, set in the env file as an operator would.
 */
abstract class AnthropicGatewayTest extends ProviderGatewayTest<AnthropicUpstream> {

  static final String KEY = "sk-ant-test";

  @Override
  protected AnthropicUpstream startUpstream(Vertx vertx) {
    return AnthropicUpstream.start(vertx, KEY).await();
  }

  @Override
  protected JsonObject providers(AnthropicUpstream upstream) {
    return new JsonObject();
  }

  @Override
  protected String envFile(AnthropicUpstream upstream) {
    return "ANTHROPIC_API_KEY=" + KEY + "\nANTHROPIC_BASE_URL=" + upstream.baseUrl() + "\n";
  }
}
