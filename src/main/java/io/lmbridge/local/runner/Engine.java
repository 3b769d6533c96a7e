package io.lmbridge.local.runner;

import io.lmbridge.chat.ChatRequest;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * A model loaded by one of the runner's engines: the current llama.cpp ({@code llamacpp/}) or
 * java-llama.cpp 4.2.0 ({@code javallama/}). Calls block, and come from the runner's slot threads.
 */
public interface Engine extends AutoCloseable {

  /**
   * The stack of a thread that calls an engine: llama.cpp recurses over templates, schemas, JSON and
   * grammars, and needs what a pthread gets by default, not what a JVM thread does.
   */
  long THREAD_STACK_BYTES = 8L << 20;

  /** Which engine, and which llama.cpp release: shown with the model by the gateway. */
  EngineInfo info();

  /** How tools reach the model, for the model listing: {@code via} and {@code call_opening}. */
  JsonObject tools();

  /**
   * Prepares a generation, which {@link Generation#begin} then starts: either may refuse a request
   * the model cannot serve, with an {@code ApiException} (400 for what the client must change).
   */
  Generation prepare(ChatRequest request);

  /**
   * The inputs' embeddings, with an input longer than the context refused rather than cut.
   *
   * @return {@code {"embeddings": [[...], ...], "prompt_tokens": n}}
   */
  JsonObject embed(List<String> inputs);
}
