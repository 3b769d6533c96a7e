package io.lmbridge.local.runner.javallama;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Starts a model's generations in slots chosen here, and has their streams take turns at reading
 * tokens in the order the decoder writes them. (Public for the benchmark that drives the binding
 * directly the way a runner does.)
 *
 * <p><b>Slots.</b> A generation goes to the free slot whose last text its prompt continues, when
 * they share at least half the prompt, so that llama.cpp reuses the cached prefix (its own rule);
 * else to the lowest free slot. llama.cpp b4916 attends over every KV cell that any slot holds, so
 * work packed into few slots decodes faster than work spread over all of them, which its own choice
 * (the least recently used slot) does.
 *
 * <p><b>Turns.</b> llama.cpp keeps one result queue for all generations, and a thread waiting for
 * its generation's next token spins (lock, scan, unlock) for as long as the queue holds another
 * generation's token. So the streams read one at a time, in slot order, which is the order in which
 * the decoder writes a step's tokens: the reader whose turn it is finds its token next, or an empty
 * queue to sleep on. A stream still waiting for its first token reads outside the turns, since its
 * prompt may take many steps.
 *
 * <p>A token that ends inside a UTF-8 character is held back, and its stream gets nothing that step.
 * Its reader then waits across the step while the others' tokens queue up, spinning, and from then
 * on reads a step ahead of them, spinning again every step. A read that spun (used the CPU for most
 * of its wait) is the sign: its stream sits out the next round, and the others catch up.
 *
 * <p><b>Idle caches.</b> A slot keeps its cells after its generation ends, and since every step
 * attends over every cell in use, the slots a burst of requests left behind slow down each later
 * generation until they are used again. {@link #clearIdle} empties them: a one-token generation
 * pinned to the slot without the prompt cache, which makes llama.cpp drop the slot's cells (the
 * binding has no call that erases a slot).
 */
public final class TokenStreams {

  /** Far above what a read costs that finds its token or sleeps (10 to 20 µs measured). */
  private static final long SPIN_NANOS = 50_000;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  /** One token in any vocabulary: an empty prompt is released by llama.cpp before its cells are dropped. */
  private static final String CLEARING_PROMPT = ".";

  private final LlamaModel model;
  /** What each slot's cells hold, as text: empty when nothing worth keeping (never used, or emptied). */
  private final String[] cachedText;
  private final boolean[] busy;
  private final long[] freedAt;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition[] due;
  private final boolean[] inTurns;
  private final boolean[] sittingOut;
  private final boolean spinsVisible = THREADS.isCurrentThreadCpuTimeSupported();
  /** The slot whose turn it is, or -1 when no stream takes turns. */
  private int turn = -1;
  /** The slot freed last, whose cache is never cleared: a conversation's next turn would want it. */
  private int lastFreed = -1;

  public TokenStreams(LlamaModel model, int slots) {
    this.model = model;
    cachedText = new String[slots];
    busy = new boolean[slots];
    freedAt = new long[slots];
    due = new Condition[slots];
    inTurns = new boolean[slots];
    sittingOut = new boolean[slots];
    for (int slot = 0; slot < slots; slot++) {
      cachedText[slot] = "";
      due[slot] = lock.newCondition();
    }
  }

  /**
   * Starts generating in a free slot, waiting while a clearing holds the last one. Callers run at
   * most as many generations at once as the model has slots.
   *
   * @param prompt the prompt the parameters carry
   */
  public Stream open(InferenceParameters parameters, String prompt) {
    return start(takeSlot(prompt), parameters, prompt, true);
  }

  /**
   * Empties the cache of every slot that no generation has used for {@code idleNanos}, except the
   * slot used last.
   *
   * @return the slots emptied
   */
  public List<Integer> clearIdle(long idleNanos) {
    List<Integer> cleared = new ArrayList<>();
    for (int slot = 0; slot < busy.length; slot++) {
      if (takeIdleSlot(slot, idleNanos)) {
        Stream stream = start(slot, new InferenceParameters(CLEARING_PROMPT).setNPredict(1).setCachePrompt(false),
            CLEARING_PROMPT, false);
        try {
          while (stream.hasNext()) {
            stream.next();
          }
        } finally {
          stream.cancel();
        }
        cleared.add(slot);
      }
    }
    return cleared;
  }

  private Stream start(int slot, InferenceParameters parameters, String prompt, boolean cached) {
    try {
      return new Stream(model.generate(RawParameters.put(parameters, "id_slot", Integer.toString(slot))).iterator(),
          slot, prompt, cached);
    } catch (RuntimeException e) {
      freeSlot(slot, "");
      throw e;
    }
  }

  /** One generation's tokens; it must be read to its end, or cancelled. */
  public final class Stream {

    private final LlamaIterator tokens;
    private final int slot;
    private final StringBuilder text;
    /** A generation's: its slot's cells hold its text afterwards (not so for a clearing). */
    private final boolean cached;
    private boolean started;
    private boolean ended;

    private Stream(LlamaIterator tokens, int slot, String prompt, boolean cached) {
      this.tokens = tokens;
      this.slot = slot;
      this.text = new StringBuilder(prompt);
      this.cached = cached;
    }

    /** The slot it runs in, as llama.cpp numbers them. */
    public int slot() {
      return slot;
    }

    public boolean hasNext() {
      return !ended;
    }

    public LlamaOutput next() {
      LlamaOutput output;
      try {
        output = started ? inTurn() : tokens.next();
      } catch (RuntimeException e) {
        end();
        throw e;
      }
      started = true;
      text.append(output.text);
      if (!tokens.hasNext()) {
        end();
      }
      return output;
    }

    /** Stops the generation, which frees its slot in llama.cpp between two tokens. */
    public void cancel() {
      if (!ended) {
        tokens.cancel();
        end();
      }
    }

    private LlamaOutput inTurn() {
      lock.lock();
      try {
        if (!inTurns[slot]) {
          inTurns[slot] = true;
          if (turn < 0) {
            turn = slot;
          }
        }
        while (turn != slot) {
          due[slot].awaitUninterruptibly();
        }
      } finally {
        lock.unlock();
      }
      long cpu = spinsVisible ? THREADS.getCurrentThreadCpuTime() : 0;
      long wall = System.nanoTime();
      try {
        return tokens.next();
      } finally {
        boolean spun = spinsVisible && spun(THREADS.getCurrentThreadCpuTime() - cpu, System.nanoTime() - wall);
        lock.lock();
        try {
          sittingOut[slot] = spun;
          passTurn();
        } finally {
          lock.unlock();
        }
      }
    }

    private void end() {
      ended = true;
      lock.lock();
      try {
        if (inTurns[slot]) {
          inTurns[slot] = false;
          sittingOut[slot] = false;
          if (turn == slot) {
            passTurn();
          }
        }
      } finally {
        lock.unlock();
      }
      freeSlot(slot, cached ? text.toString() : "");
    }
  }

  private static boolean spun(long cpuNanos, long wallNanos) {
    return cpuNanos > SPIN_NANOS && 2 * cpuNanos > wallNanos;
  }

  /** To the next slot after the current one that takes turns, passing over (once) one that sits out. */
  private void passTurn() {
    int slots = inTurns.length;
    int next = -1;
    for (int step = 1; step <= 2 * slots && next < 0; step++) {
      int slot = (turn + step) % slots;
      if (!inTurns[slot]) {
        continue;
      }
      if (sittingOut[slot] && slot != turn) {
        sittingOut[slot] = false;
      } else {
        next = slot;
      }
    }
    turn = next;
    if (next >= 0) {
      due[next].signal();
    }
  }

  private synchronized int takeSlot(String prompt) {
    while (!anyFree()) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for a free slot", e);
      }
    }
    int chosen = -1;
    int longest = 0;
    for (int slot = 0; slot < busy.length; slot++) {
      if (busy[slot]) {
        continue;
      }
      int shared = commonPrefix(prompt, cachedText[slot]);
      if (chosen < 0 || shared > longest) {
        chosen = slot;
        longest = shared;
      }
    }
    if (2 * longest < prompt.length()) {
      chosen = lowestFree();
    }
    busy[chosen] = true;
    return chosen;
  }

  private int lowestFree() {
    for (int slot = 0; ; slot++) {
      if (!busy[slot]) {
        return slot;
      }
    }
  }

  private synchronized boolean takeIdleSlot(int slot, long idleNanos) {
    if (busy[slot] || cachedText[slot].isEmpty() || slot == lastFreed
        || System.nanoTime() - freedAt[slot] < idleNanos) {
      return false;
    }
    busy[slot] = true;
    return true;
  }

  private boolean anyFree() {
    for (boolean taken : busy) {
      if (!taken) {
        return true;
      }
    }
    return false;
  }

  private synchronized void freeSlot(int slot, String text) {
    cachedText[slot] = text;
    if (!text.isEmpty()) {
      freedAt[slot] = System.nanoTime();
      lastFreed = slot;
    }
    busy[slot] = false;
    notifyAll();
  }

  private static int commonPrefix(String a, String b) {
    int length = Math.min(a.length(), b.length());
    int i = 0;
    while (i < length && a.charAt(i) == b.charAt(i)) {
      i++;
    }
    return i;
  }
}
