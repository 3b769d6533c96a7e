package io.lmbridge.provider;

import io.lmbridge.chat.ApiException;
import io.lmbridge.config.ConfigLoader;
import io.lmbridge.config.ConfigSources;
import io.lmbridge.config.GatewayConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelRouterTest {

  private static GatewayConfig config(JsonObject overrides) {
    return ConfigLoader.load(new ConfigSources(Path.of("missing.json"), List.of(), List.of(), Map.of(), overrides));
  }

  @Test
  void providerKeysAliasesAndTheDefaultProvider() {
    GatewayConfig config = config(new JsonObject().put("aliases", new JsonObject().put("fast", "xai:grok-3-mini")));
    assertThat(ModelRouter.resolve(config, "openai:gpt-4o")).isEqualTo(new ModelRouter.Route("openai", "gpt-4o"));
    assertThat(ModelRouter.resolve(config, "fast")).isEqualTo(new ModelRouter.Route("xai", "grok-3-mini"));
    assertThat(ModelRouter.resolve(config, "gpt-4.1").key()).isEqualTo("openai:gpt-4.1");
    assertThat(ModelRouter.resolve(config, "openai:ft:gpt-4o:org:custom").model()).isEqualTo("ft:gpt-4o:org:custom");
  }

  @Test
  void unroutableModelsAreClear404s() {
    GatewayConfig noDefault = config(new JsonObject().putNull("default_provider"));
    assertThatThrownBy(() -> ModelRouter.resolve(noDefault, "gpt-4o"))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.error().status()).isEqualTo(404);
          assertThat(e.error().code()).isEqualTo("model_not_found");
          assertThat(e.getMessage()).contains("no default_provider");
        });
    assertThatThrownBy(() -> ModelRouter.resolve(noDefault, "acme:m1"))
        .hasMessageContaining("unknown provider 'acme'").hasMessageContaining("openai, xai");
  }
}
