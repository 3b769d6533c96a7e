package io.lmbridge.provider;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.parsetools.RecordParser;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SseParserTest {

  /** Feeds the raw bytes in arbitrary pieces through the same line splitting the adapters use. */
  private static List<String> parse(String raw, int pieceSize) {
    List<String> events = new ArrayList<>();
    SseParser sse = new SseParser((event, data) -> events.add(event + "|" + data));
    RecordParser lines = RecordParser.newDelimited("\n", sse::line);
    for (int i = 0; i < raw.length(); i += pieceSize) {
      lines.handle(Buffer.buffer(raw.substring(i, Math.min(raw.length(), i + pieceSize))));
    }
    sse.end();
    return events;
  }

  @Test
  void crlfAndLfFramingGiveTheSameEventsWhateverTheSplits() {
    String lf = "event: message_start\ndata: {\"a\":1}\n\n: keep-alive comment\n\ndata: {\"b\":2}\n\ndata: [DONE]\n\n";
    String crlf = lf.replace("\n", "\r\n");
    List<String> expected = List.of("message_start|{\"a\":1}", "null|{\"b\":2}", "null|[DONE]");
    for (int piece : new int[] {1, 3, 7, 1000}) {
      assertThat(parse(lf, piece)).containsExactlyElementsOf(expected);
      assertThat(parse(crlf, piece)).containsExactlyElementsOf(expected);
    }
  }

  @Test
  void multiLineDataIsJoinedAndALastEventWithoutItsBlankLineCounts() {
    assertThat(parse("data: line one\ndata:line two\n\ndata: tail\n", 5))
        .containsExactly("null|line one\nline two", "null|tail");
  }
}
