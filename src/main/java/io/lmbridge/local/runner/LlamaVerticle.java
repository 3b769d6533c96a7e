package io.lmbridge.local.runner;

import de.kherud.llama.LlamaModel;
import io.lmbridge.bus.Addresses;
import io.lmbridge.bus.BusFailures;
import io.lmbridge.chat.ApiError;
import io.lmbridge.chat.ChatRequest;
import io.lmbridge.chat.ChatResponse;
import io.lmbridge.provider.CallContext;
import io.lmbridge.provider.EventSink;
import io.lmbridge.provider.ProviderVerticle;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A runner's model on the event bus, serving the same chat call contract as every provider adapter
 * at {@link Addresses#runner}. Generations run on a pool of worker threads, one per slot of the
 * model (llama.cpp batches them); requests beyond the slots wait, and beyond the queue get 429. A
 * model loaded with embeddings on also serves {@link Addresses#embeddings}. Slots left unused for
 * {@code slot_cache_idle_seconds} have their caches emptied ({@link TokenStreams#clearIdle}).
 */
final class LlamaVerticle extends ProviderVerticle {

  private static final System.Logger LOG = System.getLogger(LlamaVerticle.class.getName());

  private final ServedModel served;
  private final LlamaModel model;
  private final RunnerSpec spec;
  private WorkerExecutor slots;
  private Context context;
  private int admitted;

  LlamaVerticle(ServedModel served) {
    super(Addresses.runnerName(served.spec().runnerId()));
    this.served = served;
    this.model = served.model();
    this.spec = served.spec();
  }

  @Override
  public Future<?> start() {
    context = vertx.getOrCreateContext();
    // Generations are long by design: no blocked-thread warnings for them.
    slots = vertx.createSharedWorkerExecutor("llama-" + spec.runnerId(), spec.slots(), 1, TimeUnit.DAYS);
    if (spec.slotCacheIdleSeconds() > 0 && spec.slots() > 1) {
      long idle = TimeUnit.SECONDS.toMillis(spec.slotCacheIdleSeconds());
      vertx.setPeriodic(Math.max(1000, idle / 4), id -> clearIdleSlots(idle));
    }
    if (!spec.embedding()) {
      return super.start();
    }
    return vertx.eventBus().<JsonObject>consumer(Addresses.embeddings(providerName()), this::embed).completion()
        .compose(v -> super.start());
  }

  /** On a worker thread of its own, one clearing at a time, so that no generation waits for a thread. */
  private void clearIdleSlots(long idleMillis) {
    vertx.executeBlocking(() -> served.streams().clearIdle(TimeUnit.MILLISECONDS.toNanos(idleMillis)), true)
        .onSuccess(cleared -> {
          if (!cleared.isEmpty()) {
            LOG.log(System.Logger.Level.DEBUG, "emptied the caches of idle slots " + cleared);
          }
        })
        .onFailure(failure -> LOG.log(System.Logger.Level.WARNING, "could not empty idle slots: " + failure));
  }

  /** Embeds each input on a slot's thread; an input longer than the context is refused, not cut. */
  private void embed(Message<JsonObject> message) {
    List<String> inputs = message.body().getJsonArray("input").stream().map(String.class::cast).toList();
    slots.executeBlocking(() -> {
      JsonArray vectors = new JsonArray();
      int tokens = 0;
      for (int i = 0; i < inputs.size(); i++) {
        int length = model.encode(inputs.get(i)).length;
        if (length > spec.contextSize()) {
          throw new ApiError(400, "invalid_request_error", "input[" + i + "] has " + length + " tokens; this model's"
              + " context is " + spec.contextSize(), "input", "context_length_exceeded", null).exception();
        }
        tokens += length;
        JsonArray vector = new JsonArray();
        for (float value : model.embed(inputs.get(i))) {
          vector.add(value);
        }
        vectors.add(vector);
      }
      return new JsonObject().put("embeddings", vectors).put("prompt_tokens", tokens);
    }, false).onComplete(done -> {
      if (done.succeeded()) {
        message.reply(done.result());
      } else {
        BusFailures.fail(message, BusFailures.toApiError(done.cause(), "the local model"));
      }
    });
  }

  @Override
  protected Future<ChatResponse> complete(ChatRequest request, CallContext call) {
    return admit(request, call).compose(generation -> slots.<ChatResponse>executeBlocking(generation::complete, false)
        .onComplete(done -> admitted--));
  }

  @Override
  protected Future<Void> stream(ChatRequest request, EventSink sink, CallContext call) {
    return admit(request, call).map(generation -> {
      CoalescingSink events = new CoalescingSink(context, sink, spec.streamIntervalMillis());
      slots.executeBlocking(() -> {
        generation.run(events::add);
        return null;
      }, false).onComplete(done -> {
        admitted--;
        events.end(done.failed() ? ApiError.internal("local model: " + done.cause().getMessage()) : null);
      });
      return null;
    });
  }

  /**
   * Takes the request's place in line and prepares its generation, so that a bad request fails
   * before it is accepted. Preparing renders the template, counts the prompt's tokens and converts
   * schemas to grammars, natively and in time that grows with the prompt: on a worker thread, where
   * it neither holds up this event loop (every stream's tokens pass through it) nor waits for a slot.
   */
  private Future<Generation> admit(ChatRequest request, CallContext call) {
    if (admitted >= spec.slots() + spec.maxQueue()) {
      return Future.failedFuture(new ApiError(429, "rate_limit_error", "local model '" + spec.model() + "' is busy: "
          + spec.slots() + " requests generating and " + spec.maxQueue() + " waiting; retry shortly", null,
          "model_busy", "1").exception());
    }
    admitted++;
    return vertx.<Generation>executeBlocking(() -> Generation.prepare(served, request), false)
        .onFailure(refused -> admitted--)
        .onSuccess(generation -> call.onCancel(generation::cancel));
  }

}
