package io.lmbridge.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.EvictionConfig;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MaxSizePolicy;
import io.lmbridge.cache.SharedResponseStore;
import io.lmbridge.config.CacheConfig;
import io.lmbridge.config.ClusterConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * Hazelcast for the clustered event bus: TCP/IP discovery from the configured members, bound to one
 * interface, multicast and cloud auto-detection off unless asked for, so that a node joins only the
 * cluster it was told about. The shared response cache evicts its least recently used entries per node.
 */
public final class ClusterSetup {

  private ClusterSetup() {
  }

  public static HazelcastClusterManager clusterManager(ClusterConfig cluster, CacheConfig cache) {
    Config hazelcast = config(cluster);
    hazelcast.addMapConfig(new MapConfig(SharedResponseStore.MAP).setEvictionConfig(new EvictionConfig()
        .setEvictionPolicy(EvictionPolicy.LRU)
        .setMaxSizePolicy(MaxSizePolicy.PER_NODE)
        .setSize(cache.maxEntries())));
    return new HazelcastClusterManager(hazelcast);
  }

  /**
   * A local-model runner joins as a lite member: it holds none of the cluster's data, so a runner that
   * dies (a native abort, kill -9) takes no map partitions with it.
   */
  public static HazelcastClusterManager runnerClusterManager(ClusterConfig cluster) {
    return new HazelcastClusterManager(config(cluster).setLiteMember(true));
  }

  private static Config config(ClusterConfig cluster) {
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
    return hazelcast;
  }
}
