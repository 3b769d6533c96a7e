package io.lmbridge.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.lmbridge.config.ClusterConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * Hazelcast for the clustered event bus: TCP/IP discovery from the configured members, bound to one
 * interface, multicast and cloud auto-detection off unless asked for, so that a node joins only the
 * cluster it was told about.
 */
final class ClusterSetup {

  private ClusterSetup() {
  }

  static HazelcastClusterManager clusterManager(ClusterConfig cluster) {
    Config hazelcast = ConfigUtil.loadConfig()
        .setClusterName(cluster.name())
        .setProperty("hazelcast.wait.seconds.before.join", "0")
        .setProperty("hazelcast.shutdownhook.enabled", "false")
        .setProperty("hazelcast.phone.home.enabled", "false")
        .setProperty("hazelcast.logging.type", "jdk");
    hazelcast.getNetworkConfig()
        .setPort(cluster.port())
        .setPortAutoIncrement(true)
        .setPublicAddress(null)
        .getInterfaces().setEnabled(true).addInterface(cluster.host());
    JoinConfig join = hazelcast.getNetworkConfig().getJoin();
    join.getAutoDetectionConfig().setEnabled(false);
    join.getMulticastConfig().setEnabled(cluster.multicast());
    join.getTcpIpConfig().setEnabled(!cluster.multicast()).setMembers(cluster.members());
    return new HazelcastClusterManager(hazelcast);
  }
}
