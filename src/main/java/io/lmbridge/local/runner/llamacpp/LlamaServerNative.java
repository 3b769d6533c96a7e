package io.lmbridge.local.runner.llamacpp;

/**
 * The JNI entry points of {@code liblmbridge-llama} ({@code native/src/lmbridge_llama.cpp}): llama.cpp's
 * own server running in this process, its request handlers called with llama-server's JSON. Text
 * crosses as UTF-8 bytes (JNI's own string encoding is not UTF-8 for characters beyond the BMP).
 * {@link LlamaServer} is the Java face of it; nothing else calls these.
 */
final class LlamaServerNative {

  private LlamaServerNative() {
  }

  /**
   * Loads a model.
   *
   * @param arguments llama-server's command-line arguments, UTF-8, separated by NUL bytes
   * @return the server's handle
   * @throws IllegalArgumentException when llama.cpp refuses the arguments
   * @throws IllegalStateException when the model does not load, with llama.cpp's reason
   */
  static native long load(byte[] arguments);

  /** Runs the decoding loop on the calling thread until {@link #stop}. */
  static native void serve(long server);

  static native void stop(long server);

  /** Frees the model and its context, once {@link #serve} has returned. */
  static native void free(long server);

  /**
   * A request to one of llama-server's handlers ({@code chat}, {@code embeddings} or {@code props}): its
   * handle, to run, read, cancel and release.
   */
  static native long exchange(String handler, byte[] body);

  /** From any thread: the handler stops at its next check, between two tokens. */
  static native void cancel(long exchange);

  /**
   * Runs the handler: for an answer until it is complete, for a stream until its first event.
   *
   * @return the HTTP status llama-server would answer with
   */
  static native int run(long server, long exchange);

  /** The whole body of an answer, or the stream's next SSE text (maybe empty); null once there is no more. */
  static native byte[] next(long exchange);

  static native void release(long exchange);
}
