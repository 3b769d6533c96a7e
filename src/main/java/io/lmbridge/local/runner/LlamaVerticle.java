package io.lmbridge.local.runner;

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
import io.vertx.core.Promise;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A runner's model on the event bus, serving the same chat call contract as every provider adapter
 * at {@link Addresses#runner}, whichever {@link Engine} holds the model. Requests run on threads of
 * their own, as many as the model has slots plus the queue (the engine batches the slots and makes
 * the rest wait); beyond those, a request gets 429. A model loaded with embeddings on also serves
 * {@link Addresses#embeddings}.
 */
final class LlamaVerticle extends ProviderVerticle {

  private static final long STOP_SECONDS = 5;

  private final Engine engine;
  private final RunnerSpec spec;
  /** In flight, to cancel when the runner stops. */
  private final Set<Generation> generations = ConcurrentHashMap.newKeySet();
  private ExecutorService requests;
  private Context context;
  private int admitted;

  LlamaVerticle(Engine engine, RunnerSpec spec) {
    super(Addresses.runnerName(spec.runnerId()));
    this.engine = engine;
    this.spec = spec;
  }

  @Override
  public Future<?> start() {
    context = vertx.getOrCreateContext();
    AtomicInteger count = new AtomicInteger();
    requests = Executors.newFixedThreadPool(spec.slots() + spec.maxQueue(), task -> {
      Thread thread = new Thread(null, task, "llama-request-" + count.incrementAndGet(),
          Engine.THREAD_STACK_BYTES);
      thread.setDaemon(true);
      return thread;
    });
    if (!spec.embedding()) {
      return super.start();
    }
    return vertx.eventBus().<JsonObject>consumer(Addresses.embeddings(providerName()), this::embed).completion()
        .compose(v -> super.start());
  }

  /**
   * Cancels what is in flight and waits for the request threads to leave the engine, so that the engine
   * can be closed: a native library torn down under a running thread crashes the process on its way out.
   */
  @Override
  public Future<?> stop() {
    requests.shutdown();
    generations.forEach(Generation::cancel);
    return vertx.executeBlocking(() -> requests.awaitTermination(STOP_SECONDS, TimeUnit.SECONDS));
  }

  private void embed(Message<JsonObject> message) {
    List<String> inputs = message.body().getJsonArray("input").stream().map(String.class::cast).toList();
    blocking(() -> engine.embed(inputs)).onComplete(done -> {
      if (done.succeeded()) {
        message.reply(done.result());
      } else {
        BusFailures.fail(message, BusFailures.toApiError(done.cause(), "the local model"));
      }
    });
  }

  @Override
  protected Future<ChatResponse> complete(ChatRequest request, CallContext call) {
    return admit().compose(admitted -> blocking(() -> {
      Generation generation = prepare(request, call);
      try {
        generation.begin();
        return generation.complete();
      } finally {
        generations.remove(generation);
      }
    }).onComplete(done -> release()));
  }

  @Override
  protected Future<Void> stream(ChatRequest request, EventSink sink, CallContext call) {
    return admit().compose(admitted -> {
      Promise<Void> accepted = Promise.promise();
      CoalescingSink events = new CoalescingSink(context, sink, spec.streamIntervalMillis());
      blocking(() -> {
        Generation generation = prepare(request, call);
        try {
          generation.begin();
          context.runOnContext(v -> accepted.tryComplete());
          generation.run(events::add);
        } finally {
          generations.remove(generation);
        }
        return null;
      }).onComplete(done -> {
        release();
        // A refusal before the first event answers the call; a failure after it ends the stream.
        if (done.failed() && accepted.tryFail(done.cause())) {
          return;
        }
        events.end(done.failed() ? BusFailures.toApiError(done.cause(), "the local model") : null);
      });
      return accepted.future();
    });
  }

  /** On a request thread: the generation, cancellable from the event loop from now on. */
  private Generation prepare(ChatRequest request, CallContext call) {
    Generation generation = engine.prepare(request);
    generations.add(generation);
    context.runOnContext(v -> call.onCancel(generation::cancel));
    return generation;
  }

  /** Takes the request's place; beyond the slots and the queue, a 429. */
  private Future<Void> admit() {
    if (admitted >= spec.slots() + spec.maxQueue()) {
      return Future.failedFuture(new ApiError(429, "rate_limit_error", "local model '" + spec.model() + "' is busy: "
          + spec.slots() + " requests generating and " + spec.maxQueue() + " waiting; retry shortly", null,
          "model_busy", "1").exception());
    }
    admitted++;
    return Future.succeededFuture();
  }

  private void release() {
    admitted--;
  }

  /** Runs on a request thread; completes on this verticle's event loop. */
  private <T> Future<T> blocking(Callable<T> task) {
    Promise<T> promise = Promise.promise();
    requests.execute(() -> {
      try {
        T result = task.call();
        context.runOnContext(v -> promise.complete(result));
      } catch (Throwable failure) {
        context.runOnContext(v -> promise.fail(failure));
      }
    });
    return promise.future();
  }
}
