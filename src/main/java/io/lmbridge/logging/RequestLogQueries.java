package io.lmbridge.logging;

import io.lmbridge.chat.JsonFields;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads of the request log. Queries arrive already validated by {@code service.LogsEndpoint}:
 * {@code model}, {@code provider}, {@code status} (a code, or {@code "error"} / {@code "success"}),
 * {@code since} and {@code until} (epoch milliseconds), and for listings {@code limit} and the
 * {@code before} cursor (a row id: pages go from newest to oldest).
 */
final class RequestLogQueries {

  /** Grouping expressions by the name clients use; hours and days are UTC. */
  private static final Map<String, String> GROUPS = Map.of(
      "model", "model",
      "provider", "provider",
      "hour", "strftime('%Y-%m-%dT%H:00:00Z', created_at / 1000, 'unixepoch')",
      "day", "strftime('%Y-%m-%d', created_at / 1000, 'unixepoch')");

  private static final String SUMMARY_COLUMNS = "id, request_id, created_at, endpoint, dialect, provider, model,"
      + " stream, status, error_type, error_message, latency_ms, ttft_ms, upstream_ms, prompt_tokens,"
      + " completion_tokens, cached_tokens, cache_hit, key_id";

  private final Pool readers;

  RequestLogQueries(Pool readers) {
    this.readers = readers;
  }

  Future<JsonObject> list(JsonObject query) {
    Filter filter = Filter.of(query);
    int limit = query.getInteger("limit");
    if (query.getLong("before") != null) {
      filter.add("id < ?", query.getLong("before"));
    }
    String sql = "SELECT " + SUMMARY_COLUMNS + " FROM requests" + filter.where() + " ORDER BY id DESC LIMIT ?";
    filter.arguments.addInteger(limit + 1);
    return readers.preparedQuery(sql).execute(filter.arguments).map(rows -> {
      JsonArray data = new JsonArray();
      for (Row row : rows) {
        if (data.size() < limit) {
          data.add(json(row, false));
        }
      }
      boolean more = rows.size() > limit;
      return new JsonObject().put("object", "list").put("data", data).put("has_more", more)
          .put("next_before", more ? data.getJsonObject(data.size() - 1).getLong("id") : null);
    });
  }

  /** The newest row with this request id (client-chosen ids may repeat), with its bodies. */
  Future<JsonObject> get(String requestId) {
    return readers.preparedQuery("SELECT " + SUMMARY_COLUMNS + ", request_body, response_body FROM requests"
            + " WHERE request_id = ? ORDER BY id DESC LIMIT 1")
        .execute(Tuple.of(requestId))
        .map(rows -> rows.size() == 0 ? new JsonObject() : json(rows.iterator().next(), true));
  }

  /**
   * Per group: counts, tokens, error and cache-hit rates, and latency percentiles by nearest rank,
   * computed in SQL with window functions so that no rows are pulled into memory.
   */
  Future<JsonObject> usage(JsonObject query) {
    String group = GROUPS.get(query.getString("group_by"));
    if (group == null) {
      return Future.failedFuture(JsonFields.invalid("group_by", "expected one of " + String.join(", ",
          new TreeSet<>(GROUPS.keySet()))));
    }
    Filter filter = Filter.of(query);
    String sql = "WITH ranked AS (SELECT " + group + " AS grp, status, prompt_tokens, completion_tokens,"
        + " cached_tokens, cache_hit, latency_ms,"
        + " ROW_NUMBER() OVER (PARTITION BY " + group + " ORDER BY latency_ms) AS rank,"
        + " COUNT(*) OVER (PARTITION BY " + group + ") AS total"
        + " FROM requests" + filter.where() + ")"
        + " SELECT grp, COUNT(*), SUM(status >= 400), SUM(COALESCE(prompt_tokens, 0)),"
        + " SUM(COALESCE(completion_tokens, 0)), SUM(COALESCE(cached_tokens, 0)), SUM(cache_hit),"
        + " MIN(CASE WHEN rank >= 0.50 * total THEN latency_ms END),"
        + " MIN(CASE WHEN rank >= 0.95 * total THEN latency_ms END)"
        + " FROM ranked GROUP BY grp ORDER BY grp";
    return readers.preparedQuery(sql).execute(filter.arguments).map(rows -> new JsonObject()
        .put("object", "list")
        .put("group_by", query.getString("group_by"))
        .put("data", usageRows(rows)));
  }

  private static JsonArray usageRows(RowSet<Row> rows) {
    JsonArray data = new JsonArray();
    for (Row row : rows) {
      long requests = row.getLong(1);
      long errors = row.getLong(2);
      long hits = row.getLong(6);
      long prompt = row.getLong(3);
      long completion = row.getLong(4);
      data.add(new JsonObject()
          .put("group", row.getValue(0))
          .put("requests", requests)
          .put("errors", errors)
          .put("error_rate", (double) errors / requests)
          .put("prompt_tokens", prompt)
          .put("completion_tokens", completion)
          .put("total_tokens", prompt + completion)
          .put("cached_tokens", row.getLong(5))
          .put("cache_hits", hits)
          .put("cache_hit_rate", (double) hits / requests)
          .put("latency_ms", new JsonObject().put("p50", row.getDouble(7)).put("p95", row.getDouble(8))));
    }
    return data;
  }

  private static JsonObject json(Row row, boolean withBodies) {
    JsonObject json = new JsonObject()
        .put("id", row.getLong("id"))
        .put("request_id", row.getString("request_id"))
        .put("created_at", row.getLong("created_at"))
        .put("endpoint", row.getString("endpoint"))
        .put("dialect", row.getString("dialect"))
        .put("provider", row.getString("provider"))
        .put("model", row.getString("model"))
        .put("stream", row.getInteger("stream") == 1)
        .put("status", row.getInteger("status"))
        .put("error_type", row.getString("error_type"))
        .put("error_message", row.getString("error_message"))
        .put("latency_ms", row.getDouble("latency_ms"))
        .put("ttft_ms", row.getDouble("ttft_ms"))
        .put("upstream_ms", row.getDouble("upstream_ms"))
        .put("prompt_tokens", row.getInteger("prompt_tokens"))
        .put("completion_tokens", row.getInteger("completion_tokens"))
        .put("cached_tokens", row.getInteger("cached_tokens"))
        .put("cache_hit", row.getInteger("cache_hit") == 1)
        .put("key_id", row.getString("key_id"));
    if (withBodies) {
      json.put("request_body", row.getString("request_body")).put("response_body", row.getString("response_body"));
    }
    return json;
  }

  /** The WHERE clause shared by listings and usage, with its arguments in order. */
  private static final class Filter {
    final List<String> conditions = new ArrayList<>();
    final Tuple arguments = Tuple.tuple();

    static Filter of(JsonObject query) {
      Filter filter = new Filter();
      if (query.getString("model") != null) {
        filter.add("model = ?", query.getString("model"));
      }
      if (query.getString("provider") != null) {
        filter.add("provider = ?", query.getString("provider"));
      }
      Object status = query.getValue("status");
      if ("error".equals(status)) {
        filter.conditions.add("status >= 400");
      } else if ("success".equals(status)) {
        filter.conditions.add("status < 400");
      } else if (status != null) {
        filter.add("status = ?", status);
      }
      if (query.getLong("since") != null) {
        filter.add("created_at >= ?", query.getLong("since"));
      }
      if (query.getLong("until") != null) {
        filter.add("created_at < ?", query.getLong("until"));
      }
      return filter;
    }

    void add(String condition, Object argument) {
      conditions.add(condition);
      arguments.addValue(argument);
    }

    String where() {
      return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }
  }
}
