package io.lmbridge;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

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
}
