package io.lmbridge.local.runner.javallama;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import io.lmbridge.testkit.TinyGguf;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A runner's slot choice and reading turns, on real java-llama.cpp in this JVM with the endless tiny
 * model (it never stops before its token limit, and its random tokens often end inside a UTF-8
 * character, which llama.cpp holds back: the case that puts readers out of step).
 */
class TokenStreamsTest {

  private static final int SLOTS = 4;

  @TempDir
  static Path dir;
  private static LlamaModel model;

  @BeforeAll
  static void load() {
    // On first load LlamaLoader deletes every jllama*/llama* file in its temp dir: keep it off /tmp.
    System.setProperty("de.kherud.llama.tmpdir", dir.toString());
    LlamaModel.setLogger(null, (level, message) -> { });
    model = new LlamaModel(new ModelParameters().setModel(TinyGguf.writeEndless(dir, "endless.gguf").toString())
        .setCtxSize(512 * SLOTS).setParallel(SLOTS).setThreads(1).disableLog());
  }

  @Test
  void generationsArePackedIntoTheLowestFreeSlots() {
    TokenStreams streams = new TokenStreams(model, SLOTS);
    TokenStreams.Stream first = open(streams, "Once upon a time", 16);
    TokenStreams.Stream second = open(streams, "The weather today", 16);
    assertThat(List.of(first.slot(), second.slot())).containsExactly(0, 1);
    readAll(first);
    readAll(second);

    TokenStreams.Stream third = open(streams, "Something else entirely", 16);
    assertThat(third.slot()).isZero();
    readAll(third);
  }

  @Test
  void aPromptThatContinuesASlotsTextGoesBackToThatSlot() {
    TokenStreams streams = new TokenStreams(model, SLOTS);
    TokenStreams.Stream story = open(streams, "Once upon a time", 16);
    TokenStreams.Stream weather = open(streams, "The weather today", 16);
    readAll(story);
    String answer = readAll(weather);

    TokenStreams.Stream followUp = open(streams, "The weather today" + answer + " And tomorrow?", 16);

    assertThat(followUp.slot()).isEqualTo(weather.slot()).isEqualTo(1);
    readAll(followUp);
  }

  @Test
  void idleSlotsAreEmptiedExceptBusyOnesAndTheOneUsedLast() {
    TokenStreams streams = new TokenStreams(model, SLOTS);
    TokenStreams.Stream story = open(streams, "Once upon a time", 16);
    TokenStreams.Stream weather = open(streams, "The weather today", 16);
    TokenStreams.Stream other = open(streams, "Something else entirely", 16);
    String answer = readAll(weather);
    readAll(other);

    assertThat(streams.clearIdle(TimeUnit.HOURS.toNanos(1))).isEmpty();
    assertThat(streams.clearIdle(0)).containsExactly(weather.slot());
    assertThat(streams.clearIdle(0)).isEmpty();
    readAll(story);

    // Its text is gone from slot 1, so the weather's next turn goes to the lowest free slot.
    TokenStreams.Stream followUp = open(streams, "The weather today" + answer + " And tomorrow?", 16);
    assertThat(followUp.slot()).isZero();
    readAll(followUp);
  }

  @Test
  @Timeout(60)
  void concurrentStreamsTakeTurnsToTheirEndWhileOthersAreCancelled() throws Exception {
    TokenStreams streams = new TokenStreams(model, SLOTS);
    ExecutorService readers = Executors.newFixedThreadPool(SLOTS);
    List<Future<Integer>> outputs = new ArrayList<>();
    for (int i = 0; i < SLOTS; i++) {
      boolean cancelEarly = i % 2 == 1;
      String prompt = "Story number " + i;
      outputs.add(readers.submit(() -> {
        TokenStreams.Stream stream = open(streams, prompt, 300);
        int read = 0;
        while (stream.hasNext()) {
          stream.next();
          if (++read == 20 && cancelEarly) {
            stream.cancel();
          }
        }
        return read;
      }));
    }
    List<Integer> counts = new ArrayList<>();
    for (Future<Integer> output : outputs) {
      counts.add(output.get());
    }
    readers.shutdown();

    assertThat(counts.get(1)).isEqualTo(20);
    assertThat(counts.get(3)).isEqualTo(20);
    // Held-back tokens come out joined with the next, so a stream reads up to its limit, plus the end.
    assertThat(counts.get(0)).isBetween(200, 301);
    assertThat(counts.get(2)).isBetween(200, 301);
    List<TokenStreams.Stream> fresh = new ArrayList<>();
    for (int i = 0; i < SLOTS; i++) {
      fresh.add(open(streams, "Fresh " + i, 4));
    }
    assertThat(fresh).extracting(TokenStreams.Stream::slot).containsExactlyInAnyOrder(0, 1, 2, 3);
    fresh.forEach(TokenStreamsTest::readAll);
  }

  private static TokenStreams.Stream open(TokenStreams streams, String prompt, int tokens) {
    return streams.open(new InferenceParameters(prompt).setNPredict(tokens).setCachePrompt(true), prompt);
  }

  /** Every stream is read to its end: one left unread leaves its tokens in the shared model's queue. */
  private static String readAll(TokenStreams.Stream stream) {
    StringBuilder text = new StringBuilder();
    while (stream.hasNext()) {
      text.append(stream.next().text);
    }
    return text.toString();
  }
}
