package io.lmbridge.node;

import io.lmbridge.bus.BusCodec;
import io.lmbridge.cache.CacheVerticle;
import io.lmbridge.config.ConfigLoader;
import io.lmbridge.config.ConfigWatcher;
import io.lmbridge.config.ClusterConfig;
import io.lmbridge.config.GatewayConfig;
import io.lmbridge.config.LiveConfig;
import io.lmbridge.config.ProviderConfig;
import io.lmbridge.ingress.InFlightRequests;
import io.lmbridge.ingress.IngressVerticle;
import io.lmbridge.local.LocalModelsVerticle;
import io.lmbridge.logging.RequestLogVerticle;
import io.lmbridge.provider.ProviderAdapters;
import io.lmbridge.service.ServiceControl;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One gateway process: builds Vert.x (clustered or not), deploys the verticles of its roles, keeps
 * provider adapters in step with the configuration, and shuts down in order: ingress first
 * (draining requests in flight), then adapters, the cache, the request log (which writes what it
 * still holds), and last Vert.x and the cluster membership.
 */
public final class Node {

  private static final System.Logger LOG = System.getLogger(Node.class.getName());
  private static final long CONFIG_POLL_MILLIS = 250;

  private final Vertx vertx;
  private final LiveConfig config;
  private final Set<Role> roles;
  private final ConfigWatcher watcher;
  private final List<IngressVerticle> ingress = new CopyOnWriteArrayList<>();
  private final Map<String, Future<String>> adapterDeployments = new HashMap<>();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final List<String> serviceDeployments = new ArrayList<>();
  private String ingressDeployment;
  private volatile Runnable afterShutdown = () -> {
  };

  private Node(Vertx vertx, LiveConfig config, Set<Role> roles) {
    this.vertx = vertx;
    this.config = config;
    this.roles = roles;
    this.watcher = new ConfigWatcher(vertx, config);
  }

  /** Starts a node; fails with a {@code ConfigException} when the configuration is unusable. */
  public static Future<Node> start(NodeSettings settings) {
    GatewayConfig initial;
    try {
      initial = ConfigLoader.load(settings.sources());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    LogLevels.apply(initial.logLevel());
    LiveConfig live = new LiveConfig(settings.sources(), initial);
    boolean clustered = initial.cluster().enabled();
    boolean runners = settings.roles().contains(Role.PROVIDERS) && initial.llama().whyNotServed() == null;
    // Runners join the event bus over Hazelcast, so a standalone node with local models runs a
    // cluster of its own on loopback, under a name no other gateway uses.
    ClusterConfig bus = clustered ? initial.cluster() : runners
        ? new ClusterConfig(true, "lmbridge-local-" + UUID.randomUUID(), "127.0.0.1", initial.cluster().port(),
            List.of("127.0.0.1"), false)
        : null;
    HazelcastClusterManager cluster = bus == null ? null : ClusterSetup.clusterManager(bus, initial.cache());
    return vertx(bus, cluster).compose(v -> {
      BusCodec.register(v.eventBus());
      Node node = new Node(v, live, settings.roles());
      String nodeId = cluster == null ? "standalone" : cluster.getNodeId();
      NodeInfo info = new NodeInfo(nodeId, BuildInfo.version(), Instant.now(), settings.roles(), clustered,
          () -> clustered ? cluster.getNodes() : List.of(nodeId),
          new InFlightRequests());
      LocalModelsVerticle.RunnerCluster runnerCluster = runners ? new LocalModelsVerticle.RunnerCluster(bus.name(),
          memberAddress(cluster)) : null;
      return node.deploy(info, runnerCluster).map(node)
          .recover(failure -> v.close().transform(closed -> Future.failedFuture(failure)));
    });
  }

  private static String memberAddress(HazelcastClusterManager cluster) {
    var address = cluster.getHazelcastInstance().getCluster().getLocalMember().getAddress();
    return address.getHost() + ":" + address.getPort();
  }

  /** Clustered when a cluster manager is given: the event bus then binds the cluster interface. */
  private static Future<Vertx> vertx(ClusterConfig bus, HazelcastClusterManager cluster) {
    VertxOptions options = new VertxOptions();
    if (cluster == null) {
      return Future.succeededFuture(Vertx.vertx(options));
    }
    options.setEventBusOptions(new EventBusOptions().setHost(bus.host()).setPort(0));
    return Vertx.builder().with(options).withClusterManager(cluster).buildClustered();
  }

  public Vertx vertx() {
    return vertx;
  }

  public LiveConfig config() {
    return config;
  }

  /**
   * What runs once a shutdown asked for over HTTP ({@code POST /v1/service/shutdown}) has stopped
   * the node: the command line exits the process.
   */
  public void afterShutdown(Runnable action) {
    afterShutdown = action;
  }

  /** The port the ingress listens on (useful when configured as 0). */
  public int port() {
    return ingress.isEmpty() ? -1 : ingress.get(0).actualPort();
  }

  /**
   * Stops in order: ingress first (draining requests in flight), then adapters, then Vert.x and the
   * cluster membership. Blocks, so it runs outside Vert.x (the shutdown hook, a test): a close chained
   * inside Vert.x callbacks would wait for an event loop that the close itself stops.
   */
  public void stop() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    watcher.stop();
    if (ingressDeployment != null) {
      vertx.undeploy(ingressDeployment).await();
    }
    Future.join(adapterDeployments.values().stream().map(deployment -> deployment.compose(vertx::undeploy)).toList())
        .await();
    for (String service : serviceDeployments) {
      vertx.undeploy(service).await();
    }
    vertx.close().await();
  }

  /** Stops on a thread of its own, since {@link #stop} blocks and the request comes from an event loop. */
  private void shutdownInBackground() {
    Thread shutdown = new Thread(() -> {
      LOG.log(System.Logger.Level.INFO, "shutdown requested: draining requests in flight");
      stop();
      afterShutdown.run();
    }, "lmbridge-service-shutdown");
    shutdown.start();
  }

  private Future<Void> deploy(NodeInfo info, LocalModelsVerticle.RunnerCluster runners) {
    config.onChange((previous, next) -> {
      LogLevels.apply(next.logLevel());
      if (roles.contains(Role.PROVIDERS)) {
        vertx.runOnContext(v -> reconcileAdapters(next));
      }
    });
    Future<Void> localModels = runners == null ? Future.succeededFuture()
        : vertx.deployVerticle(new LocalModelsVerticle(config, runners, info.nodeId()))
            .onSuccess(serviceDeployments::add).mapEmpty();
    Future<Void> adapters = roles.contains(Role.PROVIDERS)
        ? localModels.compose(v -> reconcileAdapters(config.get())) : Future.succeededFuture();
    return adapters
        .compose(v -> roles.contains(Role.INGRESS) ? deployIngress(info) : Future.succeededFuture())
        .compose(v -> watcher.start(CONFIG_POLL_MILLIS));
  }

  /**
   * The ingress, and what it needs on the same node: the cache and the request log (in the order
   * they are stopped in: the log last, so it receives the ingress's final rows).
   */
  private Future<Void> deployIngress(NodeInfo info) {
    ServiceControl control = new ServiceControl(vertx, info, this::shutdownInBackground);
    Duration drain = Duration.ofSeconds(config.get().server().shutdownTimeoutSeconds());
    int instances = config.get().server().instances() > 0 ? config.get().server().instances() : cores();
    return vertx.deployVerticle(new CacheVerticle(config, info.clustered()))
        .compose(cache -> {
          serviceDeployments.add(cache);
          return vertx.deployVerticle(new RequestLogVerticle(config));
        })
        .compose(log -> {
          serviceDeployments.add(log);
          return control.serveStops();
        })
        .compose(v -> deployIngressInstances(info, control, drain, instances));
  }

  private Future<Void> deployIngressInstances(NodeInfo info, ServiceControl control, Duration drain, int instances) {
    return vertx.deployVerticle(() -> {
          IngressVerticle verticle = new IngressVerticle(config, info, control, drain);
          ingress.add(verticle);
          return verticle;
        }, new DeploymentOptions().setInstances(instances))
        .onSuccess(id -> {
          ingressDeployment = id;
          LOG.log(System.Logger.Level.INFO, "LMBridge listening on http://" + config.get().server().host() + ":" + port()
              + " (" + instances + " ingress instances)");
        })
        .mapEmpty();
  }

  /** Deploys an adapter for each provider newly configured and undeploys those no longer configured. */
  private Future<Void> reconcileAdapters(GatewayConfig current) {
    List<Future<?>> changes = new ArrayList<>();
    for (ProviderConfig provider : current.providers().values()) {
      adapterDeployments.computeIfAbsent(provider.name(), name -> {
        Future<String> deployment = vertx.deployVerticle(() -> ProviderAdapters.create(provider, config),
            new DeploymentOptions().setInstances(cores()));
        changes.add(deployment);
        return deployment;
      });
    }
    for (String name : List.copyOf(adapterDeployments.keySet())) {
      if (!current.providers().containsKey(name)) {
        changes.add(adapterDeployments.remove(name).compose(vertx::undeploy));
      }
    }
    return Future.all(changes).mapEmpty();
  }

  private static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }
}
