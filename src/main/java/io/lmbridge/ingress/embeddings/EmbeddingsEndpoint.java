package io.lmbridge.ingress.embeddings;

import io.lmbridge.bus.Addresses;
import io.lmbridge.bus.BusFailures;
import io.lmbridge.chat.ApiError;
import io.lmbridge.chat.JsonFields;
import io.lmbridge.config.GatewayConfig;
import io.lmbridge.config.LiveConfig;
import io.lmbridge.config.ProviderType;
import io.lmbridge.chat.Usage;
import io.lmbridge.ingress.ExchangeLog;
import io.lmbridge.ingress.HttpErrors;
import io.lmbridge.ingress.JsonBodies;
import io.lmbridge.provider.ModelRouter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /v1/embeddings} as OpenAI serves it, for local models loaded with embeddings on. The
 * official SDKs ask for {@code base64} unless told otherwise: little-endian float32s, base64-encoded.
 */
public final class EmbeddingsEndpoint {

  private final EventBus bus;
  private final LiveConfig config;

  public EmbeddingsEndpoint(EventBus bus, LiveConfig config) {
    this.bus = bus;
    this.config = config;
  }

  public void handle(RoutingContext ctx) {
    JsonObject body = JsonBodies.object(ctx);
    JsonFields fields = JsonFields.of(body);
    GatewayConfig current = config.get();
    ExchangeLog log = ExchangeLog.of(ctx, current.requestLog(), "embeddings", false);
    ctx.addEndHandler(v -> log.send(bus));
    ModelRouter.Route route = ModelRouter.resolve(current, fields.requiredString("model"));
    log.route(route);
    if (current.provider(route.provider()).map(p -> p.type() != ProviderType.LLAMA).orElse(true)) {
      throw ApiError.invalidRequest("embeddings are served for local models (lmbridge:NAME) only", "model")
          .exception();
    }
    List<String> input = inputs(body.getValue("input"));
    String format = fields.string("encoding_format");
    if (format != null && !format.equals("float") && !format.equals("base64")) {
      throw JsonFields.invalid("encoding_format", "expected float or base64");
    }
    if (body.containsKey("dimensions")) {
      throw JsonFields.invalid("dimensions", "local models return their own dimension; leave it out");
    }
    boolean base64 = "base64".equals(format);
    bus.<JsonObject>request(Addresses.embeddings(route.provider()),
            new JsonObject().put("model", route.model()).put("input", new JsonArray(input)),
            new DeliveryOptions().setSendTimeout(TimeUnit.SECONDS.toMillis(current.timeouts().requestSeconds())))
        .onComplete(done -> {
          if (done.failed()) {
            ApiError error = BusFailures.toApiError(done.cause(), "the local model");
            log.failed(error);
            HttpErrors.send(ctx.response(), error);
            return;
          }
          JsonObject result = done.result().body();
          JsonArray data = new JsonArray();
          JsonArray vectors = result.getJsonArray("embeddings");
          for (int i = 0; i < vectors.size(); i++) {
            JsonArray vector = vectors.getJsonArray(i);
            data.add(new JsonObject().put("object", "embedding").put("index", i)
                .put("embedding", base64 ? base64(vector) : vector));
          }
          int tokens = result.getInteger("prompt_tokens");
          Buffer answer = new JsonObject().put("object", "list").put("data", data).put("model", route.key())
              .put("usage", new JsonObject().put("prompt_tokens", tokens).put("total_tokens", tokens)).toBuffer();
          log.answered(new Usage(tokens, 0, 0, 0), answer::toString);
          ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(answer);
        });
  }

  /** A string or an array of strings; token arrays are something only OpenAI's own tokenizer could read. */
  private static List<String> inputs(Object input) {
    if (input instanceof String text) {
      return List.of(text);
    }
    if (input instanceof JsonArray array && !array.isEmpty()) {
      List<String> texts = new ArrayList<>();
      for (int i = 0; i < array.size(); i++) {
        if (!(array.getValue(i) instanceof String text)) {
          throw JsonFields.invalid("input[" + i + "]", "expected a string (token arrays are not supported)");
        }
        texts.add(text);
      }
      return texts;
    }
    throw JsonFields.invalid("input", "required: a string or a non-empty array of strings");
  }

  private static String base64(JsonArray vector) {
    Buffer bytes = Buffer.buffer(vector.size() * Float.BYTES);
    for (int i = 0; i < vector.size(); i++) {
      bytes.appendFloatLE(vector.getNumber(i).floatValue());
    }
    return Base64.getEncoder().encodeToString(bytes.getBytes());
  }
}
