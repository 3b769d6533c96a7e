package io.lmbridge.bench;

import java.util.Arrays;
import java.util.Collection;

/**
 * Latency samples in microseconds. Each recorder is written by one thread at a time (a load
 * generator's worker or session); they are merged once every writer is done.
 */
final class Latencies {

  private long[] micros = new long[1024];
  private int count;

  void add(long sample) {
    if (count == micros.length) {
      micros = Arrays.copyOf(micros, count * 2);
    }
    micros[count++] = sample;
  }

  /** Every sample of {@code recorders}, sorted. */
  static long[] sorted(Collection<Latencies> recorders) {
    long[] all = new long[recorders.stream().mapToInt(recorder -> recorder.count).sum()];
    int at = 0;
    for (Latencies recorder : recorders) {
      System.arraycopy(recorder.micros, 0, all, at, recorder.count);
      at += recorder.count;
    }
    Arrays.sort(all);
    return all;
  }

  /** Nearest-rank percentile of sorted samples, in milliseconds; 0 when there are none (an error count says why). */
  static double percentileMillis(long[] sortedMicros, double percentile) {
    if (sortedMicros.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(percentile / 100 * sortedMicros.length);
    return sortedMicros[Math.max(rank, 1) - 1] / 1000.0;
  }
}
