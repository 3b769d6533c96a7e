package io.lmbridge.testkit;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A provider played by a real HTTP server on 127.0.0.1: it checks every request body against the
 * provider's spec (a violation is answered with a 400 and kept for {@link #violations()}, so tests
 * assert there are none), keeps what it received, and answers with replies set per test.
 */
public abstract class SpecUpstream {

  protected final Vertx vertx;
  private final SpecValidator spec;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private final Queue<UpstreamReply> nextReplies = new ConcurrentLinkedQueue<>();
  private volatile UpstreamReply reply = UpstreamReply.text("Hello from the upstream");
  private HttpServer server;

  protected SpecUpstream(Vertx vertx, String schemaResource) {
    this.vertx = vertx;
    this.spec = SpecValidator.load(schemaResource);
  }

  protected Future<Void> listen() {
    server = vertx.createHttpServer().requestHandler(request -> request.body()
        .onSuccess(body -> handle(request, body.length() == 0 ? null : body.toJsonObject())));
    return server.listen(0, "127.0.0.1").mapEmpty();
  }

  /** Serves one request whose body (null when empty) has been read. */
  protected abstract void handle(HttpServerRequest request, JsonObject body);

  /**
   * Records a model call and checks it against the spec.
   *
   * @return the reply to answer with, or null if the body violates the spec (then answer 400)
   */
  protected UpstreamReply accept(HttpServerRequest request, JsonObject body) {
    received.add(new Received(request.path(), body, request.headers()));
    List<String> problems = body == null ? List.of("empty body") : spec.violations(body);
    if (!problems.isEmpty()) {
      violations.addAll(problems);
      return null;
    }
    UpstreamReply queued = nextReplies.poll();
    return queued != null ? queued : reply;
  }

  public int port() {
    return server.actualPort();
  }

  public void reply(UpstreamReply next) {
    reply = next;
  }

  /** Answers the next requests with {@code first}, one each, then with the standing reply again. */
  public void replyOnce(UpstreamReply... first) {
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

  /** Forgets what was received and answers with the default text again. */
  public void reset() {
    received.clear();
    nextReplies.clear();
    reply = UpstreamReply.text("Hello from the upstream");
  }

  public Future<Void> close() {
    return server.close();
  }

  /** A request as the upstream saw it. */
  public record Received(String path, JsonObject body, MultiMap headers) {
  }
}
