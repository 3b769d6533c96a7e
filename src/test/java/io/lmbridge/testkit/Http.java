package io.lmbridge.testkit;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** Raw HTTP against the gateway, for what an SDK would hide: statuses, headers, SSE bytes. */
public final class Http {

  private final HttpClient client;
  private final int port;

  public Http(Vertx vertx, int port) {
    this.client = vertx.createHttpClient();
    this.port = port;
  }

  public Reply post(String path, String body) {
    return send(HttpMethod.POST, path, body, MultiMap.caseInsensitiveMultiMap());
  }

  public Reply post(String path, JsonObject body) {
    return post(path, body.encode());
  }

  public Reply get(String path) {
    return send(HttpMethod.GET, path, null, MultiMap.caseInsensitiveMultiMap());
  }

  public Reply send(HttpMethod method, String path, String body, MultiMap headers) {
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(path)
        .setHeaders(headers.add("Content-Type", "application/json"));
    // Reading the body in the same callback that gets the response: a later stage could miss it.
    return client.request(options)
        .compose(request -> (body == null ? request.send() : request.send(body)).compose(response ->
            response.body().map(bytes -> new Reply(response.statusCode(), response.headers(), bytes))))
        .await();
  }

  /** A complete response. */
  public record Reply(int status, MultiMap headers, Buffer body) {

    public JsonObject json() {
      return body.toJsonObject();
    }

    /** The error object of an OpenAI-shaped error body. */
    public JsonObject error() {
      return json().getJsonObject("error");
    }

    /** The SSE events of a stream body, as (event name or null, data) pairs, checking the framing. */
    public List<String[]> events() {
      List<String[]> events = new ArrayList<>();
      for (String block : body.toString().split("\n\n")) {
        if (block.isBlank()) {
          continue;
        }
        String event = null;
        String data = null;
        for (String line : block.split("\n")) {
          if (line.startsWith("event: ")) {
            event = line.substring(7);
          } else if (line.startsWith("data: ")) {
            data = line.substring(6);
          }
        }
        events.add(new String[] {event, data});
      }
      return events;
    }
  }
}
