package io.lmbridge.service;

import io.lmbridge.bus.Addresses;
import io.lmbridge.node.NodeInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Operator actions on the whole gateway: stopping requests on every node of the cluster, and a
 * graceful shutdown of this node.
 */
public final class ServiceControl {

  private final Vertx vertx;
  private final NodeInfo node;
  private final Runnable shutdown;

  /** @param shutdown starts this node's graceful shutdown; it must not block the caller */
  public ServiceControl(Vertx vertx, NodeInfo node, Runnable shutdown) {
    this.vertx = vertx;
    this.node = node;
    this.shutdown = shutdown;
  }

  /** Registers this node's side of {@link #stop}; a node with an ingress calls it once. */
  public Future<Void> serveStops() {
    return vertx.eventBus().<JsonObject>consumer(Addresses.stop(node.nodeId()), message -> message.reply(
            new JsonObject().put("cancelled", node.inFlight().stop(message.body().getString("request_id")))))
        .completion();
  }

  /**
   * Stops the requests with this id (all when null) on every member, and counts them. A member
   * without an ingress has nothing to stop and does not answer, which counts as none.
   */
  public Future<Integer> stop(String requestId) {
    JsonObject body = new JsonObject().put("request_id", requestId);
    List<Future<Integer>> counts = node.members().get().stream()
        .map(member -> vertx.eventBus().<JsonObject>request(Addresses.stop(member), body)
            .map(Message::body)
            .map(reply -> reply.getInteger("cancelled"))
            .otherwise(0))
        .toList();
    return Future.all(counts).map(all -> counts.stream().mapToInt(Future::result).sum());
  }

  public void shutdown() {
    shutdown.run();
  }
}
