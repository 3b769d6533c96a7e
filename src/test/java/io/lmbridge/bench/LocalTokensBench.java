package io.lmbridge.bench;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.Pair;
import io.lmbridge.local.runner.TokenTurns;
import io.lmbridge.testkit.TinyGguf;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Tokens per second and time to first token of a local model, driven directly through java-llama.cpp
 * in this JVM or through the gateway (HTTP, SSE, event bus, runner process), with the same model,
 * prompt, slots, threads and token count, so the two can be compared side by side.
 *
 * <p>Usage:
 * <ul>
 *   <li>{@code LocalTokensBench write DIR} writes the endless TinyGguf model to DIR;</li>
 *   <li>{@code LocalTokensBench direct MODEL_FILE CONCURRENCY TOKENS RUNS SLOTS CONTEXT [turns]}: with
 *   {@code turns}, streams take turns at reading tokens after their first, as a runner's do
 *   ({@link TokenTurns}); without, each reads on its own, as the binding's documentation shows;</li>
 *   <li>{@code LocalTokensBench gateway URL MODEL_KEY CONCURRENCY TOKENS RUNS}.</li>
 * </ul>
 * Each run starts CONCURRENCY streams of up to TOKENS tokens at once; a run's rate is all tokens over
 * its wall time. Prints one line per run and the medians.
 */
public final class LocalTokensBench {

  private static final String PROMPT = "Tell me a story about a dog and a cat.";

  private LocalTokensBench() {
  }

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "write" -> System.out.println(TinyGguf.writeEndless(Path.of(args[1]), "tiny-endless.gguf"));
      case "direct" -> direct(args);
      case "gateway" -> gateway(args);
      default -> throw new IllegalArgumentException("write, direct or gateway");
    }
    System.exit(0);
  }

  private static void direct(String[] args) throws Exception {
    int concurrency = Integer.parseInt(args[2]);
    int tokens = Integer.parseInt(args[3]);
    int runs = Integer.parseInt(args[4]);
    int slots = Integer.parseInt(args[5]);
    int context = Integer.parseInt(args[6]);
    // The same load settings a runner uses (local/runner/RunnerMain), with one thread as configured.
    LlamaModel model = new LlamaModel(new ModelParameters().setModel(args[1]).setCtxSize(context * slots)
        .setParallel(slots).setThreads(1).disableLog());
    String prompt = model.applyTemplate(new InferenceParameters("")
        .setMessages(null, List.of(new Pair<>("user", PROMPT))));
    TokenTurns turns = args.length > 7 && args[7].equals("turns") ? new TokenTurns() : null;
    measure(turns == null ? "direct" : "direct-turns", concurrency, runs, () -> {
      long start = System.nanoTime();
      long first = 0;
      int count = 0;
      LlamaIterator stream = model.generate(new InferenceParameters(prompt).setNPredict(tokens).setCachePrompt(true))
          .iterator();
      while (stream.hasNext()) {
        LlamaOutput output = turns != null && count > 0 ? turns.next(stream) : stream.next();
        if (!output.text.isEmpty()) {
          if (count++ == 0) {
            first = System.nanoTime() - start;
          }
        }
      }
      return new Stream(count, first);
    });
  }

  private static void gateway(String[] args) throws Exception {
    String url = args[1];
    String key = args[2];
    int concurrency = Integer.parseInt(args[3]);
    int tokens = Integer.parseInt(args[4]);
    int runs = Integer.parseInt(args[5]);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String body = new JsonObject().put("model", key).put("stream", true).put("max_tokens", tokens)
        .put("stream_options", new JsonObject().put("include_usage", true))
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", PROMPT))).encode();
    measure("gateway", concurrency, runs, () -> {
      long start = System.nanoTime();
      long first = 0;
      int count = 0;
      HttpResponse<java.io.InputStream> response = http.send(HttpRequest.newBuilder(URI.create(url))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          if (!line.startsWith("data: {")) {
            continue;
          }
          // Only the usage chunk is parsed: the client's own cost must not weigh on the gateway's figure.
          if (first == 0 && line.contains("\"content\":\"") && !line.contains("\"content\":\"\"")) {
            first = System.nanoTime() - start;
          }
          if (line.contains("\"usage\":{")) {
            count = new JsonObject(line.substring(6)).getJsonObject("usage").getInteger("completion_tokens");
          }
        }
      }
      return new Stream(count, first);
    });
  }

  private interface StreamRun {
    Stream run() throws Exception;
  }

  private record Stream(int tokens, long firstTokenNanos) {
  }

  /** One unrecorded warmup run, then RUNS recorded ones. */
  private static void measure(String path, int concurrency, int runs, StreamRun stream) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    List<Double> rates = new ArrayList<>();
    List<Double> firsts = new ArrayList<>();
    for (int run = -1; run < runs; run++) {
      long start = System.nanoTime();
      List<Future<Stream>> streams = new ArrayList<>();
      for (int i = 0; i < concurrency; i++) {
        streams.add(pool.submit(stream::run));
      }
      int tokens = 0;
      List<Double> runFirsts = new ArrayList<>();
      for (Future<Stream> done : streams) {
        tokens += done.get().tokens();
        runFirsts.add(done.get().firstTokenNanos() / 1e6);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      if (run >= 0) {
        rates.add(tokens / seconds);
        firsts.addAll(runFirsts);
        System.out.printf("path=%s concurrency=%d run=%d tokens=%d seconds=%.3f tokens_per_s=%.0f%n",
            path, concurrency, run + 1, tokens, seconds, tokens / seconds);
      }
    }
    pool.shutdown();
    Collections.sort(rates);
    Collections.sort(firsts);
    System.out.printf("median path=%s concurrency=%d tokens_per_s=%.0f first_token_ms_p50=%.2f%n",
        path, concurrency, rates.get(rates.size() / 2), firsts.get(firsts.size() / 2));
  }
}
