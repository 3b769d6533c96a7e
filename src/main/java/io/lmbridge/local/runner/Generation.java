package io.lmbridge.local.runner;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import io.lmbridge.chat.ApiError;
import io.lmbridge.chat.ChatEvent;
import io.lmbridge.chat.ChatRequest;
import io.lmbridge.chat.ChatResponse;
import io.lmbridge.chat.ChatResponseAccumulator;
import io.lmbridge.chat.FinishReason;
import io.lmbridge.chat.Sampling;
import io.lmbridge.chat.ToolCall;
import io.lmbridge.chat.Usage;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One chat request on a loaded model: the prompt is rendered and counted when it is prepared (so a
 * request that cannot run fails before it is accepted), and {@link #run} then decodes on the calling
 * thread, which must be a worker: the binding blocks. Text is streamed token by token, except what
 * must be checked first: a forced tool call, or an answer that starts like a call.
 */
final class Generation {

  private final ServedModel served;
  private final String prompt;
  private final InferenceParameters parameters;
  private final int promptTokens;
  private final int maxTokens;
  private final Optional<ToolCalls> tools;
  private final Optional<StructuredOutput> structured;
  private volatile boolean cancelled;

  private Generation(ServedModel served, String prompt, InferenceParameters parameters, int promptTokens,
                     int maxTokens, Optional<ToolCalls> tools, Optional<StructuredOutput> structured) {
    this.served = served;
    this.prompt = prompt;
    this.parameters = parameters;
    this.promptTokens = promptTokens;
    this.maxTokens = maxTokens;
    this.tools = tools;
    this.structured = structured;
  }

  static Generation prepare(ServedModel served, ChatRequest request) {
    refuseLogprobs(request);
    LlamaModel model = served.model();
    RunnerSpec spec = served.spec();
    SchemaGrammars grammars = served.grammars();
    // Tools may go through the template; no template carries a schema.
    Optional<ToolSyntax> throughTemplate = served.templateTools();
    Optional<ToolCalls> tools = ToolCalls.of(request, throughTemplate.orElse(ToolSyntax.TAGGED));
    Optional<StructuredOutput> structured = tools.isPresent() ? Optional.empty()
        : StructuredOutput.of(request.responseFormat(), spec.structuredMode(), grammars);
    String plan = "off".equals(spec.structuredPlan()) ? null
        : tools.isPresent() ? (throughTemplate.isPresent() ? null : tools.get().plan())
        : structured.map(StructuredOutput::plan).orElse(null);
    String prompt = throughTemplate.isPresent()
        ? PromptBuilder.withTemplateTools(model, request, tools.map(ToolCalls::offered).orElse(List.of()), plan)
        : PromptBuilder.asText(model, request, plan);
    int promptTokens = model.encode(prompt).length;
    int room = spec.contextSize() - promptTokens;
    if (room <= 0) {
      throw new ApiError(400, "invalid_request_error", "this model's context is " + spec.contextSize()
          + " tokens, and the messages take " + promptTokens + "; shorten them", "messages",
          "context_length_exceeded", null).exception();
    }
    Sampling sampling = request.sampling();
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
    String grammar = tools.filter(ToolCalls::forced).map(forced -> forced.grammar(grammars))
        .orElse(structured.map(StructuredOutput::grammar).orElse(null));
    if (grammar != null) {
      parameters.setGrammar(grammar);
    }
    return new Generation(served, prompt, parameters, promptTokens, maxTokens, tools, structured);
  }

  /** Asks the decoding loop to stop; it does between two tokens, which frees the slot at once. */
  void cancel() {
    cancelled = true;
  }

  /** Decodes to the end, sending canonical events as they are known; the last ones are the finish and usage. */
  void run(Consumer<List<ChatEvent>> emit) {
    StringBuilder text = new StringBuilder();
    boolean holding = tools.isPresent();
    int completionTokens = 0;
    // The binding tells neither token counts nor why generation stopped: tokens are counted from
    // its outputs, one per token and a last empty one that only ends the stream. A token that ends
    // inside a UTF-8 character may come out with the next one, so the count (and with it "length"
    // as the finish reason) can fall a token short on text outside ASCII.
    int empty = 0;
    TokenStreams.Stream tokens = served.streams().open(parameters, prompt);
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
        text.append(output.text);
        if (!holding) {
          emit.accept(List.of(new ChatEvent.TextDelta(0, output.text)));
        } else if (!tools.get().forced() && !tools.get().mightBeCall(text.toString())) {
          holding = false;
          emit.accept(List.of(new ChatEvent.TextDelta(0, text.toString())));
        }
      }
    } finally {
      // A no-op once the stream has ended; else (cancelled, or a failure in emit) frees the slot now.
      tokens.cancel();
    }
    completionTokens += Math.max(0, empty - 1);
    boolean truncated = completionTokens >= maxTokens;
    List<ChatEvent> last = new ArrayList<>();
    List<ToolCall> calls = tools.map(offered -> offered.parse(text.toString())).orElse(List.of());
    ApiError invalid = structured.map(format -> format.check(text.toString(), truncated)).orElse(null);
    if (invalid != null) {
      emit.accept(List.of(new ChatEvent.Failure(invalid)));
      return;
    }
    if (!calls.isEmpty()) {
      for (int i = 0; i < calls.size(); i++) {
        ToolCall call = calls.get(i);
        last.add(new ChatEvent.ToolCallDelta(0, i, call.id(), call.name(), call.arguments()));
      }
    } else if (tools.map(ToolCalls::forced).orElse(false)) {
      emit.accept(List.of(new ChatEvent.Failure(new ApiError(502, "server_error",
          "local model: the required tool call did not complete within max_tokens", null, "invalid_tool_call", null))));
      return;
    } else if (holding) {
      last.add(new ChatEvent.TextDelta(0, text.toString()));
    }
    FinishReason finish = !calls.isEmpty() ? FinishReason.TOOL_CALLS : truncated ? FinishReason.LENGTH
        : FinishReason.STOP;
    last.add(new ChatEvent.Finish(0, finish));
    last.add(new ChatEvent.UsageReport(new Usage(promptTokens, completionTokens, 0, 0)));
    emit.accept(last);
  }

  /** The whole answer at once, for a non-streamed request; a failure among the events is thrown. */
  ChatResponse complete() {
    ChatResponseAccumulator accumulator = new ChatResponseAccumulator();
    run(events -> events.forEach(event -> {
      if (event instanceof ChatEvent.Failure failure) {
        throw failure.error().exception();
      }
      accumulator.accept(event);
    }));
    return accumulator.response();
  }

  /** Asking the native side for token probabilities aborts this llama.cpp build's process. */
  private static void refuseLogprobs(ChatRequest request) {
    if (request.sampling().topLogprobs() != null) {
      throw ApiError.invalidRequest("logprobs is not supported by local models", "logprobs").exception();
    }
  }
}
