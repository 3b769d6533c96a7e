package io.lmbridge.node;

import java.util.Locale;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * Logging goes through java.util.logging, which Vert.x and Hazelcast both use without extra
 * libraries: one line per record on stderr, at the level of {@code LOG_LEVEL} / {@code log_level},
 * changeable at run time.
 */
public final class LogLevels {

  // JUL holds loggers weakly: a level set on one that is then collected would be forgotten.
  private static final Logger ROOT = Logger.getLogger("");
  private static final Logger HAZELCAST = Logger.getLogger("com.hazelcast");
  private static final String FORMAT = "%1$tF %1$tT.%1$tL %4$-7s [%3$s] %5$s%6$s%n";

  private LogLevels() {
  }

  /** Installs the one-line format; call before anything logs. */
  public static void install() {
    install(FORMAT);
  }

  /** Installs a one-line format of {@link java.util.logging.SimpleFormatter}'s; call before anything logs. */
  public static void install(String format) {
    System.setProperty("java.util.logging.SimpleFormatter.format", format);
    System.setProperty("hazelcast.logging.type", "jdk");
    LogManager.getLogManager().reset();
    ConsoleHandler handler = new ConsoleHandler();
    handler.setLevel(Level.ALL);
    ROOT.addHandler(handler);
  }

  public static void apply(String level) {
    Level julLevel = switch (level.toLowerCase(Locale.ROOT)) {
      case "error" -> Level.SEVERE;
      case "warn" -> Level.WARNING;
      case "debug" -> Level.FINE;
      case "trace" -> Level.FINEST;
      default -> Level.INFO;
    };
    ROOT.setLevel(julLevel);
    // Hazelcast narrates every membership step at INFO; keep it to warnings unless debugging.
    HAZELCAST.setLevel(julLevel.intValue() < Level.INFO.intValue() ? julLevel : Level.WARNING);
  }
}
