package io.lmbridge.config;

/** A configuration that cannot be used; the message names the file or variable and the field. */
public final class ConfigException extends RuntimeException {

  public ConfigException(String message) {
    super(message, null, false, false);
  }
}
