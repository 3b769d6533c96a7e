package io.lmbridge.chat;

/** Carries an {@link ApiError} through futures; no stack trace, it is an expected outcome. */
public final class ApiException extends RuntimeException {

  private final ApiError error;

  public ApiException(ApiError error) {
    super(error.message(), null, false, false);
    this.error = error;
  }

  public ApiError error() {
    return error;
  }
}
