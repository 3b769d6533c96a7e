package io.lmbridge.local.runner.llamacpp;

import io.lmbridge.local.runner.Engine;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A model loaded into llama.cpp's own server, in this process: llama-server's request handlers,
 * called with its JSON and answering as it would over HTTP, without the HTTP. Its decoding loop runs
 * on a thread of its own from load to {@link #close}.
 */
final class LlamaServer implements AutoCloseable {

  private final long handle;
  private final Thread loop;

  private LlamaServer(long handle) {
    this.handle = handle;
    this.loop = new Thread(null, () -> LlamaServerNative.serve(handle), "llama-server-loop",
        Engine.THREAD_STACK_BYTES);
    loop.setDaemon(true);
    loop.start();
  }

  /**
   * Loads a model with llama-server's command-line arguments ({@code -m FILE -c 4096 ...}).
   *
   * @throws IllegalStateException with llama.cpp's reason when the model does not load
   */
  static LlamaServer load(List<String> arguments) {
    return new LlamaServer(LlamaServerNative.load(String.join("\0", arguments).getBytes(StandardCharsets.UTF_8)));
  }

  /** Starts a request to a handler ({@code chat}, {@code embeddings} or {@code props}). */
  Exchange exchange(String handler, JsonObject body) {
    return new Exchange(LlamaServerNative.exchange(handler, body.toBuffer().getBytes()));
  }

  /** What a request to a handler answers, read whole: for handlers that do not stream. */
  JsonObject call(String handler, JsonObject body) {
    try (Exchange exchange = exchange(handler, body)) {
      int status = exchange.run();
      JsonObject answer = new JsonObject(new String(exchange.next(), StandardCharsets.UTF_8));
      if (status != 200) {
        throw new LlamaServerError(status, answer);
      }
      return answer;
    }
  }

  @Override
  public void close() throws InterruptedException {
    LlamaServerNative.stop(handle);
    loop.join();
    LlamaServerNative.free(handle);
  }

  /**
   * One request: run once, read until null, released when closed, from one thread. Cancel may come
   * from any thread, at any time: once released, it does nothing.
   */
  final class Exchange implements AutoCloseable {

    private final long exchange;
    private boolean released;

    private Exchange(long exchange) {
      this.exchange = exchange;
    }

    /** Blocks until the answer is complete, or a stream's first event is there; returns the HTTP status. */
    int run() {
      return LlamaServerNative.run(handle, exchange);
    }

    /** The body, or the stream's next SSE text; null at the end. */
    byte[] next() {
      return LlamaServerNative.next(exchange);
    }

    synchronized void cancel() {
      if (!released) {
        LlamaServerNative.cancel(exchange);
      }
    }

    @Override
    public synchronized void close() {
      if (!released) {
        released = true;
        LlamaServerNative.release(exchange);
      }
    }
  }
}
