package io.lmbridge.ingress;

import io.lmbridge.chat.ApiError;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/** Writes an {@link ApiError} as an HTTP response in OpenAI's error shape. */
public final class HttpErrors {

  private HttpErrors() {
  }

  public static void send(HttpServerResponse response, ApiError error) {
    if (response.headWritten() || response.closed()) {
      return;
    }
    response.setStatusCode(error.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
    if (error.retryAfter() != null) {
      response.putHeader(HttpHeaders.RETRY_AFTER, error.retryAfter());
    }
    response.end(error.toOpenAiJson().toBuffer());
  }
}
