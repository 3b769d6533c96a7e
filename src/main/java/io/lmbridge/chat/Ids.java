package io.lmbridge.chat;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Random ids for calls, requests and the objects the gateway mints ({@code chatcmpl-…},
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
    long high = random.nextLong();
    int low = random.nextInt();
    for (int i = 0; i < 16; i++) {
      id[i] = HEX[(int) (high >>> (60 - 4 * i)) & 0xf];
    }
    for (int i = 0; i < 8; i++) {
      id[16 + i] = HEX[(low >>> (28 - 4 * i)) & 0xf];
    }
    return new String(id);
  }
}
