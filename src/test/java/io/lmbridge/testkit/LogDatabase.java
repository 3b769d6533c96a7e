package io.lmbridge.testkit;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a gateway's request log file directly with JDBC, as an operator's tool would. */
public final class LogDatabase {

  private LogDatabase() {
  }

  public static Connection open(Path file) {
    try {
      return DriverManager.getConnection("jdbc:sqlite:" + file);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public static List<Map<String, Object>> rows(Path file, String sql, Object... arguments) {
    try (Connection connection = open(file); PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < arguments.length; i++) {
        statement.setObject(i + 1, arguments[i]);
      }
      List<Map<String, Object>> rows = new ArrayList<>();
      try (ResultSet result = statement.executeQuery()) {
        while (result.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int column = 1; column <= result.getMetaData().getColumnCount(); column++) {
            row.put(result.getMetaData().getColumnName(column), result.getObject(column));
          }
          rows.add(row);
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public static long count(Path file, String where, Object... arguments) {
    return ((Number) rows(file, "SELECT COUNT(*) AS n FROM requests WHERE " + where, arguments).get(0).get("n"))
        .longValue();
  }
}
