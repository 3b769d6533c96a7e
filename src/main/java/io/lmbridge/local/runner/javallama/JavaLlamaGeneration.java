package io.lmbridge.local.runner.javallama;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaOutput;
import io.lmbridge.chat.ApiError;
import io.lmbridge.chat.ChatEvent;
import io.lmbridge.chat.ChatRequest;
import io.lmbridge.chat.FinishReason;
import io.lmbridge.chat.Sampling;
import io.lmbridge.chat.Usage;
import io.lmbridge.local.runner.Generation;
import io.lmbridge.local.runner.ImageInput;
import io.lmbridge.local.runner.RequestPlan;
import io.lmbridge.local.runner.RunnerSpec;

import java.util.List;
import java.util.function.Consumer;

/**
 * One chat request on java-llama.cpp: the prompt is rendered and counted when it is prepared (so a
 * request that cannot run fails before it is accepted), and {@link #run} then decodes on the calling
 * thread, token by token. The binding parses no tool calls and reports no token counts or stop
 * reasons: the {@link RequestPlan}'s checks read calls from the text, and tokens are counted here.
 */
final class JavaLlamaGeneration implements Generation {

  private final JavaLlamaEngine engine;
  private final RequestPlan plan;
  private final String prompt;
  private final InferenceParameters parameters;
  private final int promptTokens;
  private final int maxTokens;
  private volatile boolean cancelled;

  private JavaLlamaGeneration(JavaLlamaEngine engine, RequestPlan plan, String prompt, InferenceParameters parameters,
                              int promptTokens, int maxTokens) {
    this.engine = engine;
    this.plan = plan;
    this.prompt = prompt;
    this.parameters = parameters;
    this.promptTokens = promptTokens;
    this.maxTokens = maxTokens;
  }

  static JavaLlamaGeneration prepare(JavaLlamaEngine engine, ChatRequest request) {
    RunnerSpec spec = engine.spec();
    Sampling sampling = request.sampling();
    refuseUnsupported(request);
    RequestPlan plan = engine.plan(request);
    String prompt = PromptBuilder.render(engine.model(), plan.turns(), plan.templateTools());
    int promptTokens = engine.model().encode(prompt).length;
    int room = spec.contextSize() - promptTokens;
    if (room <= 0) {
      throw new ApiError(400, "invalid_request_error", "this model's context is " + spec.contextSize()
          + " tokens, and the messages take " + promptTokens + "; shorten them", "messages",
          "context_length_exceeded", null).exception();
    }
    int maxTokens = sampling.maxTokens() == null ? room : Math.min(sampling.maxTokens(), room);
    InferenceParameters parameters = new InferenceParameters(prompt)
        .setNPredict(maxTokens)
        .setCachePrompt(true)
        .setTopK(sampling.topK() != null ? sampling.topK() : spec.topK())
        .setTopP((float) (sampling.topP() != null ? sampling.topP() : spec.topP()));
    if (sampling.temperature() != null) {
      parameters.setTemperature(sampling.temperature().floatValue());
    }
    if (sampling.seed() != null) {
      parameters.setSeed(sampling.seed().intValue());
    }
    if (sampling.stop() != null && !sampling.stop().isEmpty()) {
      parameters.setStopStrings(sampling.stop().toArray(String[]::new));
    }
    if (sampling.presencePenalty() != null) {
      parameters.setPresencePenalty(sampling.presencePenalty().floatValue());
    }
    if (sampling.frequencyPenalty() != null) {
      parameters.setFrequencyPenalty(sampling.frequencyPenalty().floatValue());
    }
    String grammar = engine.grammar(plan);
    if (grammar != null) {
      parameters.setGrammar(grammar);
    }
    return new JavaLlamaGeneration(engine, plan, prompt, parameters, promptTokens, maxTokens);
  }

  @Override
  public void cancel() {
    cancelled = true;
  }

  @Override
  public void run(Consumer<List<ChatEvent>> events) {
    Consumer<List<ChatEvent>> emit = plan.checked(events);
    // The binding tells neither token counts nor why generation stopped: tokens are counted from
    // its outputs, one per token and a last empty one that only ends the stream. A token that ends
    // inside a UTF-8 character may come out with the next one, so the count (and with it "length"
    // as the finish reason) can fall a token short on text outside ASCII.
    int completionTokens = 0;
    int empty = 0;
    TokenStreams.Stream tokens = engine.streams().open(parameters, prompt);
    try {
      while (tokens.hasNext()) {
        if (cancelled) {
          return;
        }
        LlamaOutput output = tokens.next();
        if (output.text.isEmpty()) {
          empty++;
          continue;
        }
        completionTokens += empty + 1;
        empty = 0;
        emit.accept(List.of(new ChatEvent.TextDelta(0, output.text)));
      }
    } finally {
      // A no-op once the stream has ended; else (cancelled, or a failure in emit) frees the slot now.
      tokens.cancel();
    }
    completionTokens += Math.max(0, empty - 1);
    FinishReason finish = completionTokens >= maxTokens ? FinishReason.LENGTH : FinishReason.STOP;
    emit.accept(List.of(new ChatEvent.Finish(0, finish),
        new ChatEvent.UsageReport(new Usage(promptTokens, completionTokens, 0, 0))));
  }

  /**
   * What this build cannot do: images, more than one choice, and token probabilities (asking its
   * native side for them aborts the process).
   */
  private static void refuseUnsupported(ChatRequest request) {
    ImageInput.refuse(request, "java-llama.cpp 4.2.0, the fallback engine, has no vision support; "
        + JavaLlamaEngine.CURRENT_ENGINE_HINT);
    Sampling sampling = request.sampling();
    if (sampling.topLogprobs() != null) {
      throw ApiError.invalidRequest("logprobs are not supported by java-llama.cpp 4.2.0, the fallback engine; "
          + JavaLlamaEngine.CURRENT_ENGINE_HINT, "logprobs").exception();
    }
    if (sampling.n() != null && sampling.n() > 1) {
      throw ApiError.invalidRequest("n greater than 1 is not supported by java-llama.cpp 4.2.0, the fallback engine; "
          + JavaLlamaEngine.CURRENT_ENGINE_HINT, "n").exception();
    }
  }
}
