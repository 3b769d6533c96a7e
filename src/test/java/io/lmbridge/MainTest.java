package io.lmbridge;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {

  @Test
  void helpListsEveryOption() {
    StringWriter out = new StringWriter();
    CommandLine commandLine = new CommandLine(new Main()).setOut(new PrintWriter(out));
    assertThat(commandLine.execute("--help")).isZero();
    assertThat(out.toString()).contains("--config=FILE", "--env-file=FILE", "--host", "--port", "--[no-]cluster",
        "--cluster-name", "--cluster-host", "--cluster-port", "--cluster-members", "--roles", "INGRESS, PROVIDERS");
  }

  @Test
  void anUnusableConfigurationExitsWithTwo() {
    StringWriter err = new StringWriter();
    CommandLine commandLine = new CommandLine(new Main()).setErr(new PrintWriter(err));
    assertThat(commandLine.execute("--config", "does-not-exist.json")).isEqualTo(2);
  }

  @Test
  void aTakenPortExitsWithOneNamingTheAddress() throws Exception {
    Path dir = Files.createTempDirectory("lmbridge-main");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), "io.lmbridge.Main", "--port",
          String.valueOf(taken.getLocalPort()))
          .directory(dir.toFile())
          .redirectErrorStream(true);
      builder.environment().put("SQLITE_DB_PATH", dir.resolve("log.sqlite").toString());
      Process gateway = builder.start();
      try {
        String output = new String(gateway.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(gateway.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(gateway.exitValue()).isEqualTo(1);
        assertThat(output)
            .contains("lmbridge: could not start: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": ")
            .contains("set GATEWAY_PORT or --port")
            .doesNotContain("WARNING");
      } finally {
        gateway.destroyForcibly();
      }
    }
  }
}
