package io.lmbridge.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses env files as docker and systemd users write them: {@code KEY=value} lines, {@code #}
 * comments, an optional {@code export } prefix, and values optionally in single or double quotes.
 */
public final class EnvFile {

  private EnvFile() {
  }

  public static Map<String, String> parse(String text, String fileName) {
    Map<String, String> values = new LinkedHashMap<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("export ")) {
        line = line.substring("export ".length()).strip();
      }
      int eq = line.indexOf('=');
      String key = eq < 0 ? "" : line.substring(0, eq).strip();
      if (!key.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new ConfigException(fileName + " line " + (i + 1) + ": expected KEY=value");
      }
      values.put(key, unquote(line.substring(eq + 1).strip()));
    }
    return values;
  }

  private static String unquote(String value) {
    if (value.length() >= 2) {
      char first = value.charAt(0);
      if ((first == '"' || first == '\'') && value.charAt(value.length() - 1) == first) {
        return value.substring(1, value.length() - 1);
      }
    }
    int comment = value.indexOf(" #");
    return comment < 0 ? value : value.substring(0, comment).strip();
  }
}
