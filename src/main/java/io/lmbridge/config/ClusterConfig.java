package io.lmbridge.config;

import java.util.List;

/**
 * Hazelcast clustering of the event bus. Members are found over TCP from {@code members}
 * ({@code host} or {@code host:port}); multicast stays off unless asked for.
 *
 * @param host  the interface this node binds and announces, for Hazelcast and for the event bus
 */
public record ClusterConfig(boolean enabled, String name, String host, int port, List<String> members,
                            boolean multicast) {

  public ClusterConfig {
    members = List.copyOf(members);
  }
}
