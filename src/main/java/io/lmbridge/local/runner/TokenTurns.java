package io.lmbridge.local.runner;

import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaOutput;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Streams of one model take turns at reading their next token from the binding.
 *
 * <p>llama.cpp b4916 keeps one result queue for all tasks, and a thread waiting for its task's next
 * token spins (lock, scan, unlock) for as long as the queue holds another task's token. With several
 * streams, the readers that are not due burn the cores the decoder needs: four streams on two cores
 * had the runner at 1.5 cores and half the tokens per second it makes when they take turns.
 *
 * <p>Turns go in arrival order (a fair lock), so every stream gets one token per turn and at most one
 * waits inside the binding. A stream still waiting for its first token does not take a turn: its
 * prompt may take many decoding steps, and every other stream's tokens would wait behind it.
 * (Public for the benchmark that drives the binding directly the way a runner does.)
 */
public final class TokenTurns {

  private final ReentrantLock turn = new ReentrantLock(true);

  /** The next output of a stream that has had its first. */
  public LlamaOutput next(LlamaIterator tokens) {
    turn.lock();
    try {
      return tokens.next();
    } finally {
      turn.unlock();
    }
  }
}
