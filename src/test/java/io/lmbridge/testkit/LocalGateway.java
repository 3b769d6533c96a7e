package io.lmbridge.testkit;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;

/**
 * What tests of local models stand on: a gateway serving the GGUF files in a directory
 * ({@link TestGateway#withLocalModels}), a Vert.x for the test side and a raw HTTP client of the gateway.
 */
public record LocalGateway(Vertx vertx, TestGateway gateway, Http http) implements AutoCloseable {

  public static LocalGateway start(Path models, JsonObject llama) {
    return start(models, llama, new JsonObject());
  }

  /** @param config more of the gateway's config, beside its {@code llama} section */
  public static LocalGateway start(Path models, JsonObject llama, JsonObject config) {
    Vertx vertx = Vertx.vertx();
    TestGateway gateway = TestGateway.withLocalModels(models, llama, config);
    return new LocalGateway(vertx, gateway, new Http(vertx, gateway.port()));
  }

  /** The model as {@code GET /v1/llama/models} lists it. */
  public JsonObject listed(String name) {
    return http.get("/v1/llama/models").json().getJsonArray("models").stream().map(JsonObject.class::cast)
        .filter(model -> model.getString("name").equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no local model " + name));
  }

  @Override
  public void close() {
    gateway.close();
    vertx.close().await();
  }
}
