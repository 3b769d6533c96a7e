package io.lmbridge.local.runner.llamacpp;

import io.lmbridge.chat.ChatEvent;
import io.lmbridge.local.runner.Generation;
import io.lmbridge.local.runner.RequestPlan;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * One chat request to llama-server's chat handler: begun until its first event (so a request the
 * engine refuses fails before it is accepted), then read event by event.
 */
final class LlamaCppGeneration implements Generation {

  private final LlamaServer.Exchange exchange;
  private final RequestPlan plan;
  private final Integer topLogprobs;

  /** @param topLogprobs the alternatives per token the client asked for, or null */
  LlamaCppGeneration(LlamaServer.Exchange exchange, RequestPlan plan, Integer topLogprobs) {
    this.exchange = exchange;
    this.plan = plan;
    this.topLogprobs = topLogprobs;
  }

  /** Runs llama-server's handler until the stream's first event, or its refusal. */
  @Override
  public void begin() {
    int status = exchange.run();
    if (status != 200) {
      JsonObject error = new JsonObject(new String(exchange.next(), StandardCharsets.UTF_8));
      exchange.close();
      RequestPlan.Constraint constraint = plan.constraint();
      throw ServerErrors.toApiError(status, error, constraint != null ? constraint.param() : "messages").exception();
    }
  }

  @Override
  public void cancel() {
    exchange.cancel();
  }

  /** Ends at {@code [DONE]}, or early when cancelled (llama.cpp then ends the stream without one). */
  @Override
  public void run(Consumer<List<ChatEvent>> emit) {
    Consumer<List<ChatEvent>> checked = plan.checked(emit);
    try (exchange) {
      for (byte[] piece = exchange.next(); piece != null; piece = exchange.next()) {
        for (String payload : ServerChat.payloads(new String(piece, StandardCharsets.UTF_8))) {
          if (payload == null) {
            return;
          }
          checked.accept(ServerChat.events(payload, topLogprobs));
        }
      }
    }
  }
}
