package io.lmbridge.ingress;

import io.vertx.core.Context;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The chat requests this node's ingress is answering, across all its instances: counted for the
 * status, and stoppable by request id for {@code POST /v1/service/stop}.
 */
public final class InFlightRequests {

  private final Map<Object, Entry> requests = new ConcurrentHashMap<>();

  /** Registers a request; {@code stop} will run on {@code context}, the request's own event loop. */
  public Object add(String requestId, Context context, Runnable stop) {
    Object handle = new Object();
    requests.put(handle, new Entry(requestId, context, stop));
    return handle;
  }

  public void remove(Object handle) {
    requests.remove(handle);
  }

  public int size() {
    return requests.size();
  }

  /** Stops the requests with this id, or all of them when it is null; returns how many. */
  public int stop(String requestId) {
    int stopped = 0;
    for (var entry : requests.entrySet()) {
      Entry request = entry.getValue();
      if ((requestId == null || requestId.equals(request.requestId)) && requests.remove(entry.getKey()) != null) {
        request.context.runOnContext(v -> request.stop.run());
        stopped++;
      }
    }
    return stopped;
  }

  private record Entry(String requestId, Context context, Runnable stop) {
  }
}
