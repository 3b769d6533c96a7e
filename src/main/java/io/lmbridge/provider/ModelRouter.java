package io.lmbridge.provider;

import io.lmbridge.bus.Addresses;
import io.lmbridge.chat.ApiError;
import io.lmbridge.config.GatewayConfig;

/** Resolves what a client wrote in {@code model} to a provider and the provider's own model name. */
public final class ModelRouter {

  private ModelRouter() {
  }

  /**
   * {@code provider:model} is taken as is; anything else goes through the aliases, then the default
   * provider. Model names are not checked against the provider's list: the upstream knows best.
   */
  public static Route resolve(GatewayConfig config, String requested) {
    String key = config.aliases().getOrDefault(requested, requested);
    int colon = key.indexOf(':');
    if (colon < 0) {
      if (config.defaultProvider() == null) {
        throw ApiError.notFound("model '" + requested + "' names no provider (write provider:model, e.g. openai:"
            + requested + "), is not an alias, and no default_provider is configured", "model", "model_not_found")
            .exception();
      }
      return new Route(config.defaultProvider(), key);
    }
    String provider = key.substring(0, colon);
    String model = key.substring(colon + 1);
    if (!config.providers().containsKey(provider)) {
      throw ApiError.notFound("unknown provider '" + provider + "' in model '" + requested + "'; configured: "
          + String.join(", ", config.providers().keySet())
          + " (declare others under providers in conf/gateway.json)", "model", "model_not_found").exception();
    }
    if (model.isEmpty()) {
      throw ApiError.invalidRequest("model '" + requested + "' has an empty model name after '" + provider + ":'",
          "model").exception();
    }
    return new Route(provider, model);
  }

  /** @param model the provider's own name for the model */
  public record Route(String provider, String model) {

    /** The gateway's key for the model, reported back to clients. */
    public String key() {
      return provider + ":" + model;
    }

    public String address() {
      return Addresses.provider(provider);
    }
  }
}
