package io.lmbridge.local;

import io.lmbridge.local.runner.RunnerMain;
import io.lmbridge.local.runner.RunnerSpec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A runner's operating-system process: a JVM on this gateway's own classpath, whose output (the
 * binding and llama.cpp print to stdout and stderr) is read line by line into the gateway's log
 * rather than mixed into its console.
 */
final class RunnerProcess {

  /** What the gateway's jar manifest gives Hazelcast; a {@code -cp} launch needs them spelled out. */
  private static final List<String> MODULE_OPTIONS = List.of(
      "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
      "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED");
  private static final long STOP_GRACE_SECONDS = 5;

  private final Process process;

  private RunnerProcess(Process process) {
    this.process = process;
  }

  static RunnerProcess start(RunnerSpec spec, List<String> jvmOptions, Consumer<String> output) throws IOException {
    Files.createDirectories(Path.of(spec.tmpDir()));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(MODULE_OPTIONS);
    command.add("-Dde.kherud.llama.tmpdir=" + spec.tmpDir());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(RunnerMain.class.getName());
    command.add(spec.toJson().encode());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    Thread reader = new Thread(() -> pump(process, output), "runner-output-" + spec.model());
    reader.setDaemon(true);
    reader.start();
    return new RunnerProcess(process);
  }

  long pid() {
    return process.pid();
  }

  CompletableFuture<Process> onExit() {
    return process.onExit();
  }

  /** Asks the runner to exit (its shutdown hook leaves the cluster), and kills it if it has not shortly after. */
  void stop() {
    process.destroy();
    process.onExit().orTimeout(STOP_GRACE_SECONDS, TimeUnit.SECONDS)
        .exceptionally(late -> {
          process.destroyForcibly();
          return process;
        });
  }

  /** Resident memory from {@code /proc}, where there is one; null elsewhere. */
  Long residentBytes() {
    Path status = Path.of("/proc", Long.toString(process.pid()), "status");
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException gone) {
      // The process is gone or this is not Linux: no figure to show.
    }
    return null;
  }

  private static void pump(Process process, Consumer<String> output) {
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        output.accept(line);
      }
    } catch (IOException closed) {
      // The runner exited; its exit is handled where onExit completes.
    }
  }
}
