package io.lmbridge;

import io.lmbridge.config.ConfigException;
import io.lmbridge.config.ConfigSources;
import io.lmbridge.node.BuildInfo;
import io.lmbridge.node.LogLevels;
import io.lmbridge.node.Node;
import io.lmbridge.node.NodeSettings;
import io.lmbridge.node.Role;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/** The command line: parses options, starts a node, and stops it in order on SIGTERM / Ctrl-C. */
@Command(name = "lmbridge", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = {"LMBridge: one OpenAI-compatible endpoint in front of every model.",
        "Settings come from built-in defaults, then the JSON file, then the env file, then the environment,"
            + " then these options (later wins)."},
    sortOptions = false)
public final class Main implements Callable<Integer> {

  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "JSON config file (default: conf/gateway.json when present)")
  private Path config;

  @Option(names = {"-e", "--env-file"}, paramLabel = "FILE",
      description = "KEY=value env file (default: conf/lmbridge.env or conf/gateway.env when present)")
  private Path envFile;

  @Option(names = "--host", description = "interface to listen on (GATEWAY_HOST, default 127.0.0.1)")
  private String host;

  @Option(names = {"-p", "--port"}, description = "port to listen on (GATEWAY_PORT, default 8080; 0 picks a free one)")
  private Integer port;

  @Option(names = "--cluster", negatable = true,
      description = "join a Hazelcast cluster over the event bus (config: cluster.enabled)")
  private Boolean cluster;

  @Option(names = "--cluster-name", paramLabel = "NAME", description = "cluster to join (default lmbridge)")
  private String clusterName;

  @Option(names = "--cluster-host", paramLabel = "HOST",
      description = "interface for cluster traffic (default 127.0.0.1)")
  private String clusterHost;

  @Option(names = "--cluster-port", paramLabel = "PORT", description = "first Hazelcast port to try (default 5701)")
  private Integer clusterPort;

  @Option(names = "--cluster-members", paramLabel = "HOST[:PORT]", split = ",",
      description = "members to discover over TCP (default 127.0.0.1)")
  private List<String> clusterMembers;

  @Option(names = "--roles", paramLabel = "ROLE", split = ",",
      description = "what this node runs: ${COMPLETION-CANDIDATES} (default: all)")
  private Set<Role> roles;

  public static void main(String[] args) {
    LogLevels.install();
    CommandLine commandLine = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
    int exit = commandLine.execute(args);
    if (exit != 0 || commandLine.isUsageHelpRequested() || commandLine.isVersionHelpRequested()) {
      System.exit(exit);
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    List<Path> required = new ArrayList<>();
    if (config != null) {
      required.add(config);
    }
    if (envFile != null) {
      required.add(envFile);
    }
    ConfigSources sources = new ConfigSources(
        config != null ? config : ConfigSources.DEFAULT_JSON,
        envFile != null ? List.of(envFile) : ConfigSources.DEFAULT_ENV_FILES,
        required,
        System.getenv(),
        overrides());
    Set<Role> nodeRoles = roles == null || roles.isEmpty() ? EnumSet.allOf(Role.class) : roles;
    Node node;
    try {
      node = Node.start(new NodeSettings(sources, nodeRoles)).await();
    } catch (ConfigException e) {
      System.err.println("lmbridge: configuration error: " + e.getMessage());
      return 2;
    } catch (Exception e) {
      System.err.println("lmbridge: could not start: " + e.getMessage());
      return 1;
    }
    node.afterShutdown(() -> System.exit(0));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        node.stop();
      } catch (Exception ignored) {
        // The process is exiting anyway; there is no one left to report to.
      }
    }, "lmbridge-shutdown"));
    return 0;
  }

  /** Command-line settings in the JSON file's shape, applied over every other source. */
  private JsonObject overrides() {
    JsonObject overrides = new JsonObject();
    JsonObject server = new JsonObject();
    if (host != null) {
      server.put("host", host);
    }
    if (port != null) {
      server.put("port", port);
    }
    if (!server.isEmpty()) {
      overrides.put("server", server);
    }
    JsonObject clusterSettings = new JsonObject();
    if (cluster != null) {
      clusterSettings.put("enabled", cluster);
    }
    if (clusterName != null) {
      clusterSettings.put("name", clusterName);
    }
    if (clusterHost != null) {
      clusterSettings.put("host", clusterHost);
    }
    if (clusterPort != null) {
      clusterSettings.put("port", clusterPort);
    }
    if (clusterMembers != null) {
      clusterSettings.put("members", new JsonArray(clusterMembers));
    }
    if (!clusterSettings.isEmpty()) {
      overrides.put("cluster", clusterSettings);
    }
    return overrides;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"lmbridge " + BuildInfo.version()};
    }
  }
}
