package io.lmbridge.config;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Polls the config files (JSON and env, present or not) and reloads when their content changes.
 * A file that cannot be used keeps the running config and leaves its error in {@link LiveConfig}.
 * Content rather than modification time is compared, so two edits within one clock tick still count.
 */
public final class ConfigWatcher {

  private static final System.Logger LOG = System.getLogger(ConfigWatcher.class.getName());

  private final Vertx vertx;
  private final LiveConfig live;
  private List<Buffer> lastSeen;
  private long timer = -1;
  private boolean polling;

  public ConfigWatcher(Vertx vertx, LiveConfig live) {
    this.vertx = vertx;
    this.live = live;
  }

  public Future<Void> start(long periodMillis) {
    return snapshot().onSuccess(contents -> {
      lastSeen = contents;
      timer = vertx.setPeriodic(periodMillis, id -> poll());
    }).mapEmpty();
  }

  public void stop() {
    vertx.cancelTimer(timer);
  }

  private void poll() {
    if (polling) {
      return;
    }
    polling = true;
    snapshot()
        .compose(contents -> {
          if (contents.equals(lastSeen)) {
            return Future.succeededFuture();
          }
          lastSeen = contents;
          return vertx.executeBlocking(() -> ConfigLoader.load(live.sources()), false)
              .onSuccess(this::apply)
              .onFailure(this::reject)
              .mapEmpty();
        })
        .onComplete(done -> polling = false);
  }

  private void apply(GatewayConfig next) {
    live.reloaded(next).ifPresent(restart -> LOG.log(System.Logger.Level.INFO, "configuration reloaded"
        + (restart.isEmpty() ? "" : "; these settings take effect after a restart: " + restart)));
  }

  private void reject(Throwable failure) {
    String message = failure instanceof ConfigException ? failure.getMessage() : String.valueOf(failure);
    LOG.log(System.Logger.Level.ERROR, "configuration not reloaded, keeping the running one: " + message);
    live.failed(message);
  }

  /** The bytes of each watched file, or null for a missing one. */
  private Future<List<Buffer>> snapshot() {
    List<Future<Buffer>> reads = new ArrayList<>();
    for (Path path : live.sources().watched()) {
      reads.add(vertx.fileSystem().readFile(path.toString()).otherwise((Buffer) null));
    }
    return Future.all(reads).map(all -> {
      List<Buffer> contents = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        contents.add(all.resultAt(i));
      }
      return contents;
    });
  }
}
