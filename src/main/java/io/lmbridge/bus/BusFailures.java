package io.lmbridge.bus;

import io.lmbridge.chat.ApiError;
import io.lmbridge.chat.ApiException;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.buffer.Buffer;

/** The one mapping between failures and {@link ApiError}s, in both directions across the bus. */
public final class BusFailures {

  private static final System.Logger LOG = System.getLogger(BusFailures.class.getName());

  private BusFailures() {
  }

  /** Fails a bus request so that {@link #toApiError} on the other side restores the same error. */
  public static void fail(Message<?> message, ApiError error) {
    message.fail(error.status(), BusCodec.encode(error).toString());
  }

  /**
   * Any failure as the error the client gets.
   *
   * @param target what was called, named in the message when nobody answered
   */
  public static ApiError toApiError(Throwable failure, String target) {
    if (failure instanceof ApiException api) {
      return api.error();
    }
    if (failure instanceof ReplyException reply) {
      return switch (reply.failureType()) {
        case NO_HANDLERS -> new ApiError(503, "server_error",
            "no gateway node is serving " + target + " right now", null, "provider_unavailable", null);
        case TIMEOUT -> new ApiError(504, "server_error",
            target + " did not answer in time", null, "timeout", null);
        case RECIPIENT_FAILURE -> fromRecipient(reply);
        case ERROR -> internal(failure);
      };
    }
    return internal(failure);
  }

  private static ApiError fromRecipient(ReplyException reply) {
    String body = reply.getMessage();
    if (body != null && body.startsWith("{")) {
      return BusCodec.decode(Buffer.buffer(body), ApiError.class);
    }
    int status = reply.failureCode() >= 400 && reply.failureCode() < 600 ? reply.failureCode() : 500;
    return ApiError.upstream(status, body == null ? "request failed" : body);
  }

  private static ApiError internal(Throwable failure) {
    LOG.log(System.Logger.Level.ERROR, "unexpected failure", failure);
    return ApiError.internal("internal error in the gateway");
  }
}
