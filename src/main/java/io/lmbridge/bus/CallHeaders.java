package io.lmbridge.bus;

/**
 * Message headers of the chat call contract, between an ingress ({@link ChatClient}) and a provider
 * adapter ({@code provider.ProviderVerticle}).
 *
 * <p>A call is a request to {@link Addresses#provider} whose body is a {@code ChatRequest}:
 * <ul>
 *   <li>{@code action=complete}: the reply is a {@code ChatResponse};</li>
 *   <li>{@code action=stream}: the reply is empty and means "upstream accepted the request"; the
 *       events then arrive at the {@link #INBOX} address as {@code EventBatch}es, tagged with
 *       {@link #CALL_ID}, and the last message carries {@link #END}.</li>
 * </ul>
 * The reply of a completed call and the {@link #END} message of a stream carry {@link #UPSTREAM_MILLIS}.
 * A call that fails before it is accepted fails the request with the HTTP status as failure code and
 * an {@code ApiError} as message; once streaming, a failure is a {@code Failure} event.
 */
public final class CallHeaders {

  public static final String ACTION = "action";
  public static final String COMPLETE = "complete";
  public static final String STREAM = "stream";

  /** Unique per call; what {@link Addresses#CANCEL} names. */
  public static final String CALL_ID = "call-id";
  /** The client-visible {@code x-request-id}, for logs. */
  public static final String REQUEST_ID = "request-id";
  public static final String INBOX = "inbox";
  public static final String END = "end";
  /** How long the provider took, in milliseconds, measured by its adapter: what the gateway did not. */
  public static final String UPSTREAM_MILLIS = "upstream-ms";

  private CallHeaders() {
  }
}
