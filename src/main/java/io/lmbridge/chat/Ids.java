package io.lmbridge.chat;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Ids for calls, requests and the objects the gateway mints ({@code chatcmpl-…},
 * {@code resp_…}, {@code msg_…}). ThreadLocalRandom rather than {@code UUID.randomUUID()}, whose
 * shared SecureRandom would be a lock on every request.
 */
public final class Ids {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Ids() {
  }

  /** 24 hex digits (96 random bits). */
  public static String next() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    char[] id = new char[24];
    hex(random.nextLong(), id, 0, 16);
    hex(random.nextInt(), id, 16, 8);
    return new String(id);
  }

  /**
   * 24 hex digits: the millisecond clock (12 digits), then 48 random bits. Ids made later sort later,
   * so an index on them (the request log's) grows at its end instead of touching a random page for
   * every row.
   */
  public static String timeOrdered() {
    char[] id = new char[24];
    hex(System.currentTimeMillis(), id, 0, 12);
    hex(ThreadLocalRandom.current().nextLong(), id, 12, 12);
    return new String(id);
  }

  /** Writes the low {@code digits} hex digits of {@code value}, most significant first. */
  private static void hex(long value, char[] into, int at, int digits) {
    for (int i = 0; i < digits; i++) {
      into[at + i] = HEX[(int) (value >>> (4 * (digits - 1 - i))) & 0xf];
    }
  }
}
