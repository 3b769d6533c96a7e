package io.lmbridge.ingress;

import java.util.concurrent.ThreadLocalRandom;

/** Random suffixes for the ids the gateway mints ({@code chatcmpl-…}, {@code resp_…}, {@code msg_…}). */
public final class Ids {

  private Ids() {
  }

  /** 24 hex digits: unique enough for response ids, and cheap on the request path. */
  public static String next() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return String.format("%016x%08x", random.nextLong(), random.nextInt());
  }
}
