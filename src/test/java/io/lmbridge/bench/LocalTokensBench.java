package io.lmbridge.bench;

import com.sun.management.OperatingSystemMXBean;
import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.Pair;
import io.lmbridge.local.ModelKeys;
import io.lmbridge.local.runner.javallama.JavaLlamaEngine;
import io.lmbridge.local.runner.javallama.TokenStreams;
import io.lmbridge.testkit.TinyGguf;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.regex.Pattern;

/**
 * Tokens per second and time to first token of a local model, through the gateway (HTTP, SSE, event
 * bus, runner process) and driven directly through java-llama.cpp in this JVM, with the same model,
 * prompt, slots, threads and token count.
 *
 * <p>The paths take turns, run by run, so that the shared machine's noise and the model's own state
 * fall on all of them alike: llama.cpp b4916 attends over every cell of its KV cache that any slot
 * has used, so a model fresh from loading decodes faster than one whose slots all hold earlier
 * answers, and a comparison of a fresh direct model with a warm runner would flatter the direct one.
 * Both models are therefore warmed with the same runs, for at least {@link #WARMUP_NANOS}, before
 * anything is recorded.
 *
 * <p>Usage:
 * <ul>
 *   <li>{@code LocalTokensBench write DIR [WIDTHxLAYERS]} writes the endless TinyGguf model to DIR, or
 *   a larger quantized one of that shape ({@link TinyGguf.Shape#ofWidth}), and prints its path;</li>
 *   <li>{@code LocalTokensBench name MODEL_FILE} prints the name the gateway lists that file under
 *   ({@link ModelKeys});</li>
 *   <li>{@code LocalTokensBench compare LABEL MODEL_FILE URL MODEL_KEY TOKENS ROUNDS SLOTS CONTEXT} prints,
 *   for 1 and 4 concurrent streams, one Markdown table row (see {@link #ROW_HEADER}) and, on standard
 *   error, every run;</li>
 *   <li>{@code LocalTokensBench idle LABEL MODEL_FILE URL MODEL_KEY TOKENS ROUNDS SLOTS CONTEXT IDLE_SECONDS}
 *   prints one row of {@link #IDLE_HEADER}: one stream's rate after a burst has used every slot, with
 *   the burst's caches kept and emptied, driven the runner's way ({@link TokenStreams#clearIdle}) and
 *   through the gateway, whose runner must empty them on its own once they are IDLE_SECONDS old;</li>
 *   <li>{@code LocalTokensBench rate LABEL URL MODEL_KEY TOKENS ROUNDS STREAMS} prints one row of
 *   {@link #RATE_HEADER}: the gateway alone, for a model loaded however the caller chose.</li>
 *   <li>{@code LocalTokensBench servers LABEL TOKENS ROUNDS NAME=URL,MODEL_KEY...} prints, for 1 and 4
 *   concurrent streams, one row of {@link #servers}' table: OpenAI-compatible servers streaming the same
 *   model (llama.cpp's own llama-server, the gateway on each engine), taking turns run by run after the
 *   same warmup, each with its tokens per second, its ratio to the first server's in the same round, and
 *   its first token p50.</li>
 * </ul>
 * The direct paths load with one thread and the binding's default offload unless the system properties
 * {@code bench.threads} and {@code bench.gpu_layers} say otherwise; {@code bench.warmup_seconds} (60)
 * is the least warmup before a comparison.
 * Paths: "direct" leaves the choice of slot to llama.cpp and reads each stream on its own thread, as
 * the binding's documentation shows; "direct, runner's way" chooses slots and reads in turns as a
 * runner does ({@link TokenStreams}), on a second copy of the model so that the two direct paths do
 * not share a KV cache; "gateway" is the model behind the gateway. A run starts all its streams at
 * once, and its rate is all tokens over its wall time; the ratios are the median over rounds of the
 * gateway's rate over the direct path's in the same round.
 */
public final class LocalTokensBench {

  private static final String ROW_HEADER = "| Model | Streams | Direct tokens/s | Direct, runner's way, tokens/s"
      + " | Gateway tokens/s | Gateway / direct | Gateway / direct, runner's way | Direct first token p50 (ms)"
      + " | Direct, runner's way, first token p50 (ms) | Gateway first token p50 (ms) |\n"
      + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|";
  private static final String IDLE_HEADER = "| Model | Runner's way, after a burst, tokens/s"
      + " | Runner's way, burst's slots emptied, tokens/s | Emptied / kept | Emptying (ms)"
      + " | Gateway, right after a burst, tokens/s | Gateway, after the idle time, tokens/s | After / before |\n"
      + "|---|---:|---:|---:|---:|---:|---:|---:|";
  private static final String RATE_HEADER = "| Model | Streams | Gateway tokens/s | Gateway first token p50 (ms) |\n"
      + "|---|---:|---:|---:|";
  private static final String PROMPT = "Tell me a story about a dog and a cat.";
  private static final Pattern FIRST_CONTENT = Pattern.compile("\"content\":\"[^\"]");
  /** Fresh JVMs interpret before they compile: the gateway's rate still climbed after 10 s of its streams. */
  private static final long WARMUP_NANOS = Long.getLong("bench.warmup_seconds", 60) * 1_000_000_000L;
  private static final int WARMUP_RUNS = 3;
  private static final OperatingSystemMXBean PROCESS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private LocalTokensBench() {
  }

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "write" -> System.out.println(write(args));
      case "name" -> System.out.println(ModelKeys.nameOf(Path.of(args[1]).getFileName().toString())
          .orElseThrow(() -> new IllegalArgumentException(args[1] + " is not a model file the gateway lists")));
      case "header" -> System.out.println(ROW_HEADER);
      case "compare" -> compare(args);
      case "idle-header" -> System.out.println(IDLE_HEADER);
      case "idle" -> idle(args);
      case "rate-header" -> System.out.println(RATE_HEADER);
      case "rate" -> rate(args);
      case "servers-header" -> System.out.println(serversHeader(List.of(args).subList(1, args.length)));
      case "servers" -> servers(args);
      default -> throw new IllegalArgumentException(
          "write, name, header, compare, idle-header, idle, rate-header, rate, servers-header or servers");
    }
    System.exit(0);
  }

  private static Path write(String[] args) {
    Path dir = Path.of(args[1]);
    if (args.length < 3) {
      return TinyGguf.writeEndless(dir, "tiny-endless.gguf");
    }
    String[] size = args[2].split("x");
    TinyGguf.Shape shape = TinyGguf.Shape.ofWidth(Integer.parseInt(size[0]), Integer.parseInt(size[1]));
    return TinyGguf.writeEndless(dir, "random-" + args[2] + "-Q8_0.gguf", shape);
  }

  private static void rate(String[] args) throws Exception {
    int tokens = Integer.parseInt(args[4]);
    int rounds = Integer.parseInt(args[5]);
    int streams = Integer.parseInt(args[6]);
    StreamRun gateway = gateway(args[2], args[3], tokens, streams);
    ExecutorService pool = Executors.newCachedThreadPool();
    List<Run> runs = new ArrayList<>();
    for (int round = -WARMUP_RUNS; round < rounds; round++) {
      Run run = run(pool, gateway, streams);
      System.err.printf("rate %s streams=%d round=%s tokens=%d seconds=%.3f tokens_per_s=%.0f%n", args[1], streams,
          round < 0 ? "warmup" : Integer.toString(round + 1), run.tokens(), run.seconds(), run.tokensPerSecond());
      if (round >= 0) {
        runs.add(run);
      }
    }
    System.out.printf("| %s | %d | %.0f | %.2f |%n", args[1], streams, median(runs, Run::tokensPerSecond),
        firstTokenP50(runs));
    pool.shutdown();
  }

  private static void compare(String[] args) throws Exception {
    String label = args[1];
    int tokens = Integer.parseInt(args[5]);
    int rounds = Integer.parseInt(args[6]);
    int slots = Integer.parseInt(args[7]);
    int context = Integer.parseInt(args[8]);
    LlamaModel model = load(args[2], slots, context);
    LlamaModel runnersWay = load(args[2], slots, context);
    String prompt = chatPrompt(model);
    Map<String, StreamRun> paths = new LinkedHashMap<>();
    paths.put("direct", direct(model, prompt, tokens));
    paths.put("direct-runner", runnersWay(new TokenStreams(runnersWay, slots), prompt, tokens));
    paths.put("gateway", gateway(args[3], args[4], tokens, slots));

    ExecutorService pool = Executors.newCachedThreadPool();
    warmUp(pool, paths);
    for (int streams : new int[] {1, 4}) {
      Map<String, List<Run>> runs = rounds(pool, paths, streams, rounds);
      System.out.printf("| %s | %d | %.0f | %.0f | %.0f | %.2f | %.2f | %.2f | %.2f | %.2f |%n", label, streams,
          median(runs.get("direct"), Run::tokensPerSecond), median(runs.get("direct-runner"), Run::tokensPerSecond),
          median(runs.get("gateway"), Run::tokensPerSecond),
          medianRatio(runs.get("gateway"), runs.get("direct")), medianRatio(runs.get("gateway"), runs.get("direct-runner")),
          firstTokenP50(runs.get("direct")), firstTokenP50(runs.get("direct-runner")), firstTokenP50(runs.get("gateway")));
    }
    pool.shutdown();
  }

  /** The table of {@code servers}: a column group per server, ratios to the first. */
  private static String serversHeader(List<String> names) {
    StringBuilder header = new StringBuilder("| Model | Streams |");
    StringBuilder rule = new StringBuilder("|---|---:|");
    for (int i = 0; i < names.size(); i++) {
      header.append(" ").append(names.get(i)).append(" tokens/s |");
      rule.append("---:|");
      if (i > 0) {
        header.append(" ").append(names.get(i)).append(" / ").append(names.get(0)).append(" |");
        rule.append("---:|");
      }
    }
    for (String name : names) {
      header.append(" ").append(name).append(" first token p50 (ms) |");
      rule.append("---:|");
    }
    return header + "\n" + rule;
  }

  private static void servers(String[] args) throws Exception {
    String label = args[1];
    int tokens = Integer.parseInt(args[2]);
    int rounds = Integer.parseInt(args[3]);
    Map<String, StreamRun> paths = new LinkedHashMap<>();
    for (String server : List.of(args).subList(4, args.length)) {
      String[] nameAndTarget = server.split("=", 2);
      String[] urlAndKey = nameAndTarget[1].split(",", 2);
      paths.put(nameAndTarget[0], gateway(urlAndKey[0], urlAndKey[1], tokens, 4));
    }
    ExecutorService pool = Executors.newCachedThreadPool();
    warmUp(pool, paths);
    List<String> names = new ArrayList<>(paths.keySet());
    for (int streams : new int[] {1, 4}) {
      Map<String, List<Run>> runs = rounds(pool, paths, streams, rounds);
      StringBuilder row = new StringBuilder("| " + label + " | " + streams + " |");
      List<Run> first = runs.get(names.get(0));
      for (int i = 0; i < names.size(); i++) {
        List<Run> server = runs.get(names.get(i));
        row.append(String.format(" %.0f |", median(server, Run::tokensPerSecond)));
        if (i > 0) {
          row.append(String.format(" %.2f |", medianRatio(server, first)));
        }
      }
      names.forEach(name -> row.append(String.format(" %.2f |", firstTokenP50(runs.get(name)))));
      System.out.println(row);
    }
    pool.shutdown();
  }

  /** Every path at 4 streams then 1, until both {@link #WARMUP_RUNS} and {@link #WARMUP_NANOS} are done. */
  private static void warmUp(ExecutorService pool, Map<String, StreamRun> paths) throws Exception {
    long warm = System.nanoTime() + WARMUP_NANOS;
    for (int run = 0; run < WARMUP_RUNS || System.nanoTime() < warm; run++) {
      for (int streams : new int[] {4, 1}) {
        for (StreamRun path : paths.values()) {
          run(pool, path, streams);
        }
      }
    }
  }

  /** One run of every path per round, in an order that turns each round; every run on standard error. */
  private static Map<String, List<Run>> rounds(ExecutorService pool, Map<String, StreamRun> paths, int streams,
                                               int rounds) throws Exception {
    Map<String, List<Run>> runs = new LinkedHashMap<>();
    paths.keySet().forEach(name -> runs.put(name, new ArrayList<>()));
    List<String> order = new ArrayList<>(paths.keySet());
    for (int round = 0; round < rounds; round++) {
      for (String name : order) {
        Run run = run(pool, paths.get(name), streams);
        runs.get(name).add(run);
        System.err.printf("path=%s streams=%d round=%d tokens=%d seconds=%.3f tokens_per_s=%.0f bench_cpu_s=%.2f%n",
            name, streams, round + 1, run.tokens(), run.seconds(), run.tokensPerSecond(), run.cpuSeconds());
      }
      Collections.rotate(order, 1);
    }
    return runs;
  }

  /**
   * Each round: a burst on every slot, one stream; a burst, the burst's slots emptied, one stream.
   * The runner's way empties them at once; through the gateway, the round waits for the runner.
   */
  private static void idle(String[] args) throws Exception {
    int tokens = Integer.parseInt(args[5]);
    int rounds = Integer.parseInt(args[6]);
    int slots = Integer.parseInt(args[7]);
    int context = Integer.parseInt(args[8]);
    long idleMillis = Long.parseLong(args[9]) * 1000;
    LlamaModel model = load(args[2], slots, context);
    TokenStreams streams = new TokenStreams(model, slots);
    StreamRun runnersWay = runnersWay(streams, chatPrompt(model), tokens);
    StreamRun gateway = gateway(args[3], args[4], tokens, slots);
    // The runner looks every quarter of the idle time (at least every second), and takes a moment.
    long wait = idleMillis + Math.max(1000, idleMillis / 4) + 500;
    ExecutorService pool = Executors.newCachedThreadPool();
    List<Run> kept = new ArrayList<>();
    List<Run> emptied = new ArrayList<>();
    List<Double> emptyingMillis = new ArrayList<>();
    List<Run> gatewayKept = new ArrayList<>();
    List<Run> gatewayEmptied = new ArrayList<>();
    for (int round = -WARMUP_RUNS; round < rounds; round++) {
      run(pool, runnersWay, slots);
      Run before = run(pool, runnersWay, 1);
      run(pool, runnersWay, slots);
      long start = System.nanoTime();
      streams.clearIdle(0);
      double emptying = (System.nanoTime() - start) / 1e6;
      Run after = run(pool, runnersWay, 1);
      run(pool, gateway, slots);
      Run gatewayBefore = run(pool, gateway, 1);
      run(pool, gateway, slots);
      Thread.sleep(wait);
      Run gatewayAfter = run(pool, gateway, 1);
      System.err.printf("idle round=%s runner_kept=%.0f runner_emptied=%.0f emptying_ms=%.1f gateway_kept=%.0f"
          + " gateway_after_idle=%.0f%n", round < 0 ? "warmup" : Integer.toString(round + 1),
          before.tokensPerSecond(), after.tokensPerSecond(), emptying, gatewayBefore.tokensPerSecond(),
          gatewayAfter.tokensPerSecond());
      if (round >= 0) {
        kept.add(before);
        emptied.add(after);
        emptyingMillis.add(emptying);
        gatewayKept.add(gatewayBefore);
        gatewayEmptied.add(gatewayAfter);
      }
    }
    System.out.printf("| %s | %.0f | %.0f | %.2f | %.1f | %.0f | %.0f | %.2f |%n", args[1],
        median(kept, Run::tokensPerSecond), median(emptied, Run::tokensPerSecond), medianRatio(emptied, kept),
        median(emptyingMillis), median(gatewayKept, Run::tokensPerSecond),
        median(gatewayEmptied, Run::tokensPerSecond), medianRatio(gatewayEmptied, gatewayKept));
    pool.shutdown();
  }

  /** The same load settings a runner uses (local/runner/javallama/JavaLlamaEngine), with the threads and offload configured. */
  private static LlamaModel load(String file, int slots, int context) {
    ModelParameters parameters = new ModelParameters().setModel(file).setCtxSize(context * slots).setParallel(slots)
        .setThreads(Integer.getInteger("bench.threads", 1)).disableLog();
    Integer gpuLayers = Integer.getInteger("bench.gpu_layers");
    return new LlamaModel(gpuLayers == null ? parameters
        : parameters.setGpuLayers(JavaLlamaEngine.llamaGpuLayers(gpuLayers)));
  }

  private static String chatPrompt(LlamaModel model) {
    return model.applyTemplate(new InferenceParameters("").setMessages(null, List.of(new Pair<>("user", PROMPT))));
  }

  private static StreamRun direct(LlamaModel model, String prompt, int tokens) {
    return () -> {
      long start = System.nanoTime();
      LlamaIterator stream = model.generate(parameters(prompt, tokens)).iterator();
      return read(start, stream::hasNext, stream::next);
    };
  }

  private static StreamRun runnersWay(TokenStreams streams, String prompt, int tokens) {
    return () -> {
      long start = System.nanoTime();
      TokenStreams.Stream stream = streams.open(parameters(prompt, tokens), prompt);
      return read(start, stream::hasNext, stream::next);
    };
  }

  private static InferenceParameters parameters(String prompt, int tokens) {
    return new InferenceParameters(prompt).setNPredict(tokens).setCachePrompt(true);
  }

  private static Stream read(long start, BooleanSupplier hasNext, Supplier<LlamaOutput> next) {
    long first = 0;
    int count = 0;
    while (hasNext.getAsBoolean()) {
      if (!next.get().text.isEmpty() && count++ == 0) {
        first = System.nanoTime() - start;
      }
    }
    return new Stream(count, first);
  }

  /**
   * Through the gateway, with Vert.x's HTTP client: the client shares the cores with the gateway and
   * the runner, and java.net.http's used more CPU than the gateway itself for the same streams. Only
   * the first content and the usage chunk are looked for, so the client's cost stays low.
   */
  private static StreamRun gateway(String url, String key, int tokens, int connections) {
    HttpClient http = Vertx.vertx().createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(connections));
    RequestOptions target = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
        .putHeader("Content-Type", "application/json");
    Buffer body = new JsonObject().put("model", key).put("stream", true).put("max_tokens", tokens)
        .put("stream_options", new JsonObject().put("include_usage", true))
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", PROMPT)))
        .toBuffer();
    return () -> {
      try {
        return stream(http, target, body);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof HttpClosedException)) {
          throw e;
        }
        // llama-server closes a kept-alive connection after a few requests: the pool then retries once.
        return stream(http, target, body);
      }
    };
  }

  private static Stream stream(HttpClient http, RequestOptions target, Buffer body) throws Exception {
    long start = System.nanoTime();
    long[] first = {0};
    StringBuilder tail = new StringBuilder();
    int status = http.request(target).compose(request -> request.send(body)).compose(response -> {
      response.handler(chunk -> {
        String text = chunk.toString(StandardCharsets.UTF_8);
        if (first[0] == 0 && FIRST_CONTENT.matcher(text).find()) {
          first[0] = System.nanoTime() - start;
        }
        // The usage chunk comes last, before [DONE]: the last few KiB hold it whole.
        tail.append(text);
        if (tail.length() > 16_384) {
          tail.delete(0, tail.length() - 8_192);
        }
      });
      return response.end().map(response.statusCode());
    }).toCompletionStage().toCompletableFuture().get();
    return new Stream(completionTokens(status, tail.toString()), first[0]);
  }

  private static int completionTokens(int status, String tail) {
    int usage = tail.lastIndexOf("\"usage\":{");
    if (status != 200 || usage < 0) {
      throw new IllegalStateException("the gateway answered " + status + " without usage: " + tail);
    }
    int line = tail.lastIndexOf("data: ", usage) + "data: ".length();
    String chunk = tail.substring(line, tail.indexOf("\n", usage)).trim();
    return new JsonObject(chunk).getJsonObject("usage").getInteger("completion_tokens");
  }

  private interface StreamRun {
    Stream run() throws Exception;
  }

  private record Stream(int tokens, long firstTokenNanos) {
  }

  /** @param cpuSeconds what this JVM used meanwhile: the direct path whole, or the gateway's client */
  private record Run(int tokens, double seconds, double cpuSeconds, List<Double> firstTokenMillis) {
    double tokensPerSecond() {
      return tokens / seconds;
    }
  }

  /** Starts all streams at once and waits for the last. */
  private static Run run(ExecutorService pool, StreamRun path, int streams) throws Exception {
    long cpu = PROCESS.getProcessCpuTime();
    long start = System.nanoTime();
    List<Future<Stream>> running = new ArrayList<>();
    for (int i = 0; i < streams; i++) {
      running.add(pool.submit(path::run));
    }
    int tokens = 0;
    List<Double> firsts = new ArrayList<>();
    for (Future<Stream> done : running) {
      tokens += done.get().tokens();
      firsts.add(done.get().firstTokenNanos() / 1e6);
    }
    return new Run(tokens, (System.nanoTime() - start) / 1e9, (PROCESS.getProcessCpuTime() - cpu) / 1e9, firsts);
  }

  private static double median(List<Run> runs, ToDoubleFunction<Run> value) {
    return median(runs.stream().mapToDouble(value).boxed().toList());
  }

  /** Run i of one path against run i of the other: the same round, seconds apart. */
  private static double medianRatio(List<Run> runs, List<Run> against) {
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      ratios.add(runs.get(i).tokensPerSecond() / against.get(i).tokensPerSecond());
    }
    return median(ratios);
  }

  private static double firstTokenP50(List<Run> runs) {
    return median(runs.stream().flatMap(run -> run.firstTokenMillis().stream()).toList());
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
