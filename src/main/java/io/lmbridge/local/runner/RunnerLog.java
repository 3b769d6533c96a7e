package io.lmbridge.local.runner;

import io.lmbridge.node.LogLevels;

import java.lang.System.Logger.Level;
import java.util.Map;

/**
 * How a runner's output is read by its gateway: the runner's own records open with their level's
 * name ({@code WARNING [logger] message}), llama.cpp's lines with its level's letter
 * ({@code W message}), and a line with neither continues the one before. llama.cpp's lines go down
 * in the gateway's log, its errors to info (a refused request is one, and the gateway answers it),
 * the rest to debug and trace: what matters of them the gateway reports in its own words, and a
 * runner that dies has its last lines logged at warning level.
 */
public final class RunnerLog {

  private static final String FORMAT = "%4$s [%3$s] %5$s%6$s%n";
  private static final Map<String, Level> RECORDS = Map.of("SEVERE", Level.ERROR, "WARNING", Level.WARNING,
      "INFO", Level.INFO, "CONFIG", Level.DEBUG, "FINE", Level.DEBUG, "FINER", Level.TRACE, "FINEST", Level.TRACE);
  private static final Map<Character, Level> NATIVE = Map.of('E', Level.INFO, 'W', Level.DEBUG, 'I', Level.DEBUG,
      'D', Level.TRACE);

  private RunnerLog() {
  }

  /** In the runner: records as the gateway reads them. */
  static void install() {
    LogLevels.install(FORMAT);
  }

  /** In the gateway: the level to log one line of a runner's output at. */
  public static Level levelOf(String line, Level previous) {
    int space = line.indexOf(' ');
    if (space == 1 && NATIVE.containsKey(line.charAt(0))) {
      return NATIVE.get(line.charAt(0));
    }
    Level record = space > 0 ? RECORDS.get(line.substring(0, space)) : null;
    return record != null ? record : previous;
  }
}
