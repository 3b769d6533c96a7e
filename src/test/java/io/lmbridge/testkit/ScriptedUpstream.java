package io.lmbridge.testkit;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A provider played by a real HTTP server on 127.0.0.1, answering with replies each test scripts: a
 * standing reply, and one-off replies queued ahead of it. It keeps the model calls it received and,
 * where the provider has a spec schema, checks every body against it: a violation is answered with
 * the provider's 400 and kept for {@link #violations()}, so tests assert there are none. Subclasses
 * speak the provider's wire.
 *
 * @param <R> the provider's reply script
 */
public abstract class ScriptedUpstream<R> {

  private static final Pattern WORD = Pattern.compile("\\S+\\s*|\\s+");

  protected final Vertx vertx;
  private final R defaultReply;
  private final SpecValidator spec;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private final Queue<R> nextReplies = new ConcurrentLinkedQueue<>();
  private final AtomicInteger disconnects = new AtomicInteger();
  private volatile R reply;
  private HttpServer server;

  /** An upstream whose request bodies are checked against {@code schemaResource}. */
  protected ScriptedUpstream(Vertx vertx, R defaultReply, String schemaResource) {
    this(vertx, defaultReply, SpecValidator.load(schemaResource));
  }

  /** An upstream with no spec schema to check against: its tests assert on the bodies themselves. */
  protected ScriptedUpstream(Vertx vertx, R defaultReply) {
    this(vertx, defaultReply, (SpecValidator) null);
  }

  private ScriptedUpstream(Vertx vertx, R defaultReply, SpecValidator spec) {
    this.vertx = vertx;
    this.defaultReply = defaultReply;
    this.reply = defaultReply;
    this.spec = spec;
  }

  protected Future<Void> listen() {
    server = vertx.createHttpServer().requestHandler(request -> request.body()
        .onSuccess(body -> handle(request, body.length() == 0 ? null : body.toJsonObject())));
    return server.listen(0, "127.0.0.1").mapEmpty();
  }

  /** Serves one request whose body (null when empty) has been read. */
  protected abstract void handle(HttpServerRequest request, JsonObject body);

  /** Keeps a model call for {@link #received()}. */
  protected void record(HttpServerRequest request, JsonObject body) {
    received.add(new Received(request.path(), body, request.headers()));
  }

  /** Whether {@code body} meets the provider's spec; what breaks it is kept for {@link #violations()}. */
  protected boolean meetsSpec(JsonObject body) {
    List<String> problems = body == null ? List.of("empty body") : spec.violations(body);
    violations.addAll(problems);
    return problems.isEmpty();
  }

  /** The reply for this call: the first queued one-off, else the standing reply. */
  protected R nextReply() {
    R queued = nextReplies.poll();
    return queued != null ? queued : reply;
  }

  /**
   * Streams {@code frames} as {@link SplitWrites} does, counting a gateway that hangs up before the
   * end as a disconnect.
   */
  protected void streamFrames(HttpServerResponse response, String contentType, List<String> frames, long delayMillis,
                              boolean cut) {
    response.setChunked(true).putHeader("Content-Type", contentType);
    response.closeHandler(v -> {
      if (!response.ended()) {
        disconnects.incrementAndGet();
      }
    });
    SplitWrites.send(vertx, response, frames, delayMillis, cut);
  }

  /** {@code text} cut into word-sized stream pieces, each word with the space after it. */
  static List<String> words(String text) {
    List<String> pieces = new ArrayList<>();
    Matcher words = WORD.matcher(text);
    while (words.find()) {
      pieces.add(words.group());
    }
    return pieces;
  }

  public int port() {
    return server.actualPort();
  }

  public void reply(R next) {
    reply = next;
  }

  /** Answers the next requests with {@code first}, one each, then with the standing reply again. */
  @SafeVarargs
  public final void replyOnce(R... first) {
    nextReplies.addAll(List.of(first));
  }

  public List<Received> received() {
    return received;
  }

  public Received last() {
    return received.get(received.size() - 1);
  }

  /** Every way a request broke the provider's spec; tests assert this is empty. */
  public List<String> violations() {
    return violations;
  }

  /** Streams whose client (the gateway) hung up before the end. */
  public int disconnects() {
    return disconnects.get();
  }

  /** Forgets what was received, queued and violated, and answers with the default reply again. */
  public void reset() {
    received.clear();
    violations.clear();
    nextReplies.clear();
    reply = defaultReply;
  }

  public Future<Void> close() {
    return server.close();
  }

  /** A request as the upstream saw it. */
  public record Received(String path, JsonObject body, MultiMap headers) {

    public JsonArray messages() {
      return body.getJsonArray("messages");
    }
  }
}
