package io.lmbridge.ingress.responses;

import io.lmbridge.chat.ChatRequest;
import io.lmbridge.chat.ChatResponse;
import io.lmbridge.chat.JsonFields;
import io.lmbridge.chat.openai.ChatCompletionsRequests;
import io.lmbridge.ingress.ChatExchange;
import io.lmbridge.chat.Ids;
import io.lmbridge.ingress.JsonBodies;
import io.lmbridge.ingress.ResponseRenderer;
import io.lmbridge.ingress.StreamRenderer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /v1/responses} in two dialects, told apart by the body: OpenAI's Responses API when it
 * has {@code input}, the original LMBridge form when it has {@code messages}.
 */
public final class ResponsesEndpoint {

  private final ChatExchange exchange;

  public ResponsesEndpoint(ChatExchange exchange) {
    this.exchange = exchange;
  }

  public void handle(RoutingContext ctx) {
    JsonObject body = JsonBodies.object(ctx);
    String id = "resp_" + Ids.next();
    long created = System.currentTimeMillis() / 1000;
    if (body.containsKey("input")) {
      ChatRequest request = ResponsesRequests.parse(body);
      exchange.run(ctx, "responses", body, request, route -> {
        ResponseObject response = new ResponseObject(id, route.key(), created, body);
        return new ResponseRenderer() {
          @Override
          public JsonObject response(ChatResponse result) {
            var finish = result.choices().isEmpty() ? null : result.choices().get(0).finishReason();
            return response.finished(OutputItem.of(result), finish, result.usage());
          }

          @Override
          public StreamRenderer stream() {
            return new ResponsesStream(response);
          }
        };
      });
    } else if (body.containsKey("messages")) {
      ChatRequest request = ChatCompletionsRequests.parse(body);
      exchange.run(ctx, "messages_form", body, request, route -> new MessagesFormRenderer(id, route.key(), created));
    } else {
      throw JsonFields.invalid("input", "required: input (OpenAI Responses API) or messages (LMBridge form)");
    }
  }
}
