package io.lmbridge.ingress.realtime;

import io.lmbridge.bus.BusCodec;
import io.lmbridge.bus.BusFailures;
import io.lmbridge.bus.ChatClient;
import io.lmbridge.bus.StreamListener;
import io.lmbridge.chat.ApiError;
import io.lmbridge.chat.ChatEvent;
import io.lmbridge.chat.ChatRequest;
import io.lmbridge.chat.FinishReason;
import io.lmbridge.chat.Ids;
import io.lmbridge.chat.Usage;
import io.lmbridge.config.GatewayConfig;
import io.lmbridge.ingress.ChatExchange;
import io.lmbridge.ingress.ExchangeLog;
import io.lmbridge.provider.ModelRouter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One response of a session: a streamed provider call over the bus, rendered as Realtime events
 * from {@code response.created} to {@code response.done}, logged like any request (its id is the
 * response id), and stoppable by the client ({@code response.cancel}, or closing the socket) or by
 * an operator.
 */
final class RealtimeResponse implements StreamListener {

  static final String ENDPOINT = "/v1/realtime";
  private static final ApiError CANCELLED = new ApiError(499, "client_error",
      "the client cancelled the response (response.cancel)", null, "response_cancelled", null);

  /** Also the response's request-log id, so ordered by time like the ingress's request ids. */
  final String id = "resp_" + Ids.timeOrdered();
  private final SessionServices services;
  private final RealtimeDialect dialect;
  private final String conversationId;
  private final ResponseSettings settings;
  private final ChatRequest request;
  private final ModelRouter.Route route;
  private final Consumer<JsonObject> send;
  private final Consumer<List<JsonObject>> onDone;
  private final ChatClient.Call call;
  private final ExchangeLog log;
  private final List<JsonObject> finished = new ArrayList<>();
  private ResponseOutput open;
  private int outputs;
  private FinishReason finish;
  private Usage usage;
  private ApiError failure;
  private Object inFlightHandle;
  private boolean done;

  /** @param onDone gets the finished output items, once, however the response ends */
  RealtimeResponse(SessionServices services, RealtimeDialect dialect, String conversationId,
                   ResponseSettings settings, ModelRouter.Route route, ChatRequest request,
                   Consumer<JsonObject> send, Consumer<List<JsonObject>> onDone) {
    this.services = services;
    this.dialect = dialect;
    this.conversationId = conversationId;
    this.settings = settings;
    this.route = route;
    this.request = request;
    this.send = send;
    this.onDone = onDone;
    GatewayConfig config = services.config().get();
    this.call = ChatExchange.providerCall(route, id, config.timeouts());
    this.log = new ExchangeLog(id, ENDPOINT, () -> BusCodec.encode(request).toString(), config.requestLog(),
        "realtime", true);
    log.route(route);
  }

  void start() {
    inFlightHandle = services.inFlight().add(id, services.vertx().getOrCreateContext(),
        () -> fail(ChatExchange.STOPPED));
    send.accept(ServerEvents.of("response.created").put("response", json("in_progress", null)));
    services.client().stream(route.address(), call, request, this).onFailure(refused ->
        fail(BusFailures.toApiError(refused, "the provider")));
  }

  /** {@code response.cancel}: the provider stops, and the response ends {@code cancelled}. */
  void cancel() {
    services.client().cancel(call.id());
    log.failed(CANCELLED);
    end("cancelled", new JsonObject().put("type", "cancelled").put("reason", "client_cancelled"));
  }

  /** The socket closed: the provider stops, and nobody is left to tell. */
  void clientGone() {
    if (!done) {
      services.client().cancel(call.id());
      log.failed(ChatExchange.CLIENT_GONE);
      finish();
    }
  }

  @Override
  public void onEvents(List<ChatEvent> events) {
    log.firstEvent();
    for (ChatEvent event : events) {
      if (event instanceof ChatEvent.TextDelta delta && !delta.text().isEmpty()) {
        text().delta(delta.text());
      } else if (event instanceof ChatEvent.ToolCallDelta delta) {
        ResponseOutput.FunctionCall call = functionCall(delta);
        if (delta.arguments() != null && !delta.arguments().isEmpty()) {
          call.delta(delta.arguments());
        }
      } else if (event instanceof ChatEvent.Finish end) {
        finish = end.reason();
      } else if (event instanceof ChatEvent.UsageReport report) {
        usage = report.usage();
      } else if (event instanceof ChatEvent.Failure failed) {
        failure = failed.error();
      }
    }
  }

  @Override
  public void onEnd(Double upstreamMillis) {
    log.upstreamMillis(upstreamMillis);
    if (failure != null) {
      fail(failure);
    } else if (finish == FinishReason.LENGTH || finish == FinishReason.CONTENT_FILTER) {
      end("incomplete", new JsonObject().put("type", "incomplete")
          .put("reason", finish == FinishReason.LENGTH ? "max_output_tokens" : "content_filter"));
    } else {
      end("completed", null);
    }
  }

  /** The provider refused or failed, or an operator stopped the response: an error event, then {@code failed}. */
  private void fail(ApiError error) {
    if (done) {
      return;
    }
    services.client().cancel(call.id());
    log.failed(error);
    send.accept(ServerEvents.error(error, null));
    end("failed", new JsonObject().put("type", "failed")
        .put("error", new JsonObject().put("type", error.type()).put("code", error.code())
            .put("message", error.message())));
  }

  /**
   * Closes the open item, sends {@code response.done} and logs the response; a cancelled or failed
   * one was logged as such by its caller.
   */
  private void end(String status, JsonObject details) {
    if (done) {
      return;
    }
    boolean answered = status.equals("completed") || status.equals("incomplete");
    closeOpenItem(status.equals("completed") ? "completed" : "incomplete");
    JsonObject response = json(status, details);
    send.accept(ServerEvents.of("response.done").put("response", response));
    if (answered) {
      log.answered(usage, response::encode);
    }
    finish();
  }

  private void finish() {
    done = true;
    services.inFlight().remove(inFlightHandle);
    log.send(services.vertx().eventBus());
    onDone.accept(finished);
  }

  private ResponseOutput.Text text() {
    if (open instanceof ResponseOutput.Text text) {
      return text;
    }
    ResponseOutput.Text text = new ResponseOutput.Text(id, outputs, dialect, send);
    opened(text);
    return text;
  }

  private ResponseOutput.FunctionCall functionCall(ChatEvent.ToolCallDelta delta) {
    if (open instanceof ResponseOutput.FunctionCall call && call.toolIndex == delta.index()) {
      return call;
    }
    ResponseOutput.FunctionCall call = new ResponseOutput.FunctionCall(id, outputs, dialect, send, delta.index(),
        delta.id(), delta.name());
    opened(call);
    return call;
  }

  private void opened(ResponseOutput output) {
    closeOpenItem("completed");
    open = output;
    outputs++;
    output.open();
  }

  private void closeOpenItem(String status) {
    if (open != null) {
      finished.add(open.close(status));
      open = null;
    }
  }

  private JsonObject json(String status, JsonObject details) {
    JsonArray output = new JsonArray();
    finished.forEach(item -> output.add(ConversationItems.render(item, dialect)));
    return new JsonObject()
        .put("id", id)
        .put("object", "realtime.response")
        .put("status", status)
        .put("status_details", details)
        .put("output", output)
        .put("conversation_id", conversationId)
        .put(dialect.modalitiesField, new JsonArray().add("text"))
        .put("max_output_tokens", settings.maxTokensJson())
        .put("usage", usage == null ? null : usageJson(usage));
  }

  private static JsonObject usageJson(Usage usage) {
    return new JsonObject()
        .put("total_tokens", usage.totalTokens())
        .put("input_tokens", usage.promptTokens())
        .put("output_tokens", usage.completionTokens())
        .put("input_token_details", new JsonObject().put("cached_tokens", usage.cachedTokens())
            .put("text_tokens", usage.promptTokens()).put("image_tokens", 0).put("audio_tokens", 0))
        .put("output_token_details", new JsonObject().put("text_tokens", usage.completionTokens())
            .put("audio_tokens", 0));
  }
}
