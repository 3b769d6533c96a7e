package io.lmbridge.ingress;

import io.lmbridge.chat.ChatResponse;
import io.vertx.core.json.JsonObject;

/** How one parsed client request wants its answer written; one per request, made by its dialect. */
public interface ResponseRenderer {

  JsonObject response(ChatResponse response);

  StreamRenderer stream();
}
