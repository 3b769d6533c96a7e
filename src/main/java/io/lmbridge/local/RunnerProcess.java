package io.lmbridge.local;

import io.lmbridge.local.runner.RunnerLog;
import io.lmbridge.local.runner.RunnerMain;
import io.lmbridge.local.runner.RunnerSpec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A runner's operating-system process: a JVM on this gateway's own classpath, whose output (its
 * own records and llama.cpp's lines) is read line by line into the gateway's log at the levels
 * {@link RunnerLog} gives them, rather than mixed into its console. The last lines are kept, to tell
 * why a runner died.
 */
final class RunnerProcess {

  /** One line of the runner's output, at the gateway's level for it. */
  interface Output {
    void line(System.Logger.Level level, String line);
  }

  /** What the gateway's jar manifest gives Hazelcast; a {@code -cp} launch needs them spelled out. */
  private static final List<String> MODULE_OPTIONS = List.of(
      "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
      "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED");
  private static final long STOP_GRACE_SECONDS = 5;
  private static final int LAST_LINES = 20;

  private final Process process;
  private final Deque<String> lastLines = new ArrayDeque<>();
  private final CompletableFuture<Void> outputEnded = new CompletableFuture<>();

  private RunnerProcess(Process process) {
    this.process = process;
  }

  static RunnerProcess start(RunnerSpec spec, List<String> jvmOptions, Output output) throws IOException {
    Files.createDirectories(Path.of(spec.tmpDir()));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(MODULE_OPTIONS);
    // A native crash's report stays with the runner; its summary reaches the gateway's log with the last lines.
    command.add("-XX:ErrorFile=" + Path.of(spec.tmpDir(), "hs_err_pid%p.log"));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(RunnerMain.class.getName());
    command.add(spec.toJson().encode());
    RunnerProcess runner = new RunnerProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
    Thread reader = new Thread(() -> runner.pump(output), "runner-output-" + spec.model());
    reader.setDaemon(true);
    reader.start();
    return runner;
  }

  long pid() {
    return process.pid();
  }

  /** Once the process has exited and all it wrote has been read. */
  CompletableFuture<Process> onExit() {
    return process.onExit().thenCombine(outputEnded, (exited, read) -> exited);
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

  /** The last lines the runner wrote, oldest first. */
  synchronized List<String> lastLines() {
    return List.copyOf(lastLines);
  }

  private void pump(Output output) {
    System.Logger.Level level = System.Logger.Level.DEBUG;
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        level = RunnerLog.levelOf(line, level);
        output.line(level, line);
        synchronized (this) {
          lastLines.addLast(line);
          if (lastLines.size() > LAST_LINES) {
            lastLines.removeFirst();
          }
        }
      }
    } catch (IOException closed) {
      // The runner exited; its exit is handled where onExit completes.
    } finally {
      outputEnded.complete(null);
    }
  }
}
