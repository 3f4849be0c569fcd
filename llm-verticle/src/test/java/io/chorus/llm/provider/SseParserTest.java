package io.chorus.llm.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {
  private final List<SseEvent> events = new ArrayList<>();
  private final SseParser parser = new SseParser(events::add);

  private void feed(String... parts) {
    for (String part : parts) {
      parser.feed(Buffer.buffer(part));
    }
  }

  private List<String> data() {
    return events.stream().map(SseEvent::data).toList();
  }

  @Test
  void recordSplitAcrossBuffersIsDispatchedOnce() {
    feed("da", "ta: {\"choices\":[{\"delta\"", ":{\"content\":\"Hi\"}}]}\n", "\n");
    assertThat(data()).containsExactly("{\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}");
  }

  @Test
  void blankLineSplitAcrossBuffers() {
    feed("data: a\n");
    assertThat(events).isEmpty();
    feed("\ndata: b\n\n");
    assertThat(data()).containsExactly("a", "b");
  }

  @Test
  void crlfLineEndsEvenWhenCrAndLfArriveInDifferentBuffers() {
    feed("data: first\r\n\r\n", "data: second\r", "\n\r", "\ndata: third\r\n\r\n");
    assertThat(data()).containsExactly("first", "second", "third");
  }

  @Test
  void loneCrIsALineEnd() {
    feed("data: x\r\rdata: y\r\r");
    assertThat(data()).containsExactly("x", "y");
  }

  @Test
  void multiLineDataIsJoinedWithNewlines() {
    feed("data: line one\ndata: line two\ndata:\ndata: four\n\n");
    assertThat(data()).containsExactly("line one\nline two\n\nfour");
  }

  @Test
  void commentsAreIgnored() {
    feed(": keep-alive\n\n", ":another\ndata: value\n: inside\n\n", ": OPENROUTER PROCESSING\n\n");
    assertThat(data()).containsExactly("value");
  }

  @Test
  void doneMarkerIsAnOrdinaryEvent() {
    feed("data: {\"x\":1}\n\ndata: [DONE]\n\n");
    assertThat(data()).containsExactly("{\"x\":1}", "[DONE]");
  }

  @Test
  void onlyOneLeadingSpaceIsStripped() {
    feed("data:x\n\ndata:  y\n\n");
    assertThat(data()).containsExactly("x", " y");
  }

  @Test
  void eventNameAndIdAreKept() {
    feed("event: error\nid: 7\ndata: {}\n\ndata: next\n\n");
    assertThat(events).containsExactly(new SseEvent("error", "{}", "7"), new SseEvent("message", "next", "7"));
  }

  @Test
  void blankLinesWithoutDataDispatchNothing() {
    feed("\n\n\r\n", "event: ping\n\n", "retry: 100\n\n");
    assertThat(events).isEmpty();
  }

  @Test
  void multiByteCharactersSplitAcrossBuffersSurvive() {
    byte[] bytes = "data: héllo € 😀\n\n".getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      parser.feed(Buffer.buffer(Arrays.copyOfRange(bytes, i, i + 1)));
    }
    assertThat(data()).containsExactly("héllo € 😀");
  }

  @Test
  void byteByByteFeedEqualsWholeFeed() {
    String stream = "data: {\"a\":1}\r\n\r\n: c\n\ndata: b1\ndata: b2\n\ndata: [DONE]\n\n";
    SseParser whole = new SseParser(events::add);
    whole.feed(Buffer.buffer(stream));
    List<SseEvent> expected = List.copyOf(events);
    events.clear();
    for (char c : stream.toCharArray()) {
      parser.feed(Buffer.buffer(String.valueOf(c)));
    }
    assertThat(events).isEqualTo(expected).hasSize(3);
  }

  @Test
  void endDispatchesAnUnterminatedEvent() {
    feed("data: [DONE]");
    assertThat(events).isEmpty();
    parser.end();
    assertThat(data()).containsExactly("[DONE]");
  }

  @Test
  void oversizedEventFails() {
    SseParser small = new SseParser(events::add, 16);
    assertThatThrownBy(() -> small.feed(Buffer.buffer("data: " + "x".repeat(40) + "\n\n")))
        .isInstanceOf(SseParser.TooLarge.class);
  }

  @Test
  void manySmallDataLinesStillCountTowardsTheLimit() {
    SseParser small = new SseParser(events::add, 32);
    assertThatThrownBy(() -> small.feed(Buffer.buffer("data: 12345\n".repeat(8) + "\n")))
        .isInstanceOf(SseParser.TooLarge.class);
    assertThat(events).isEmpty();
  }

  @Test
  void aFieldWithoutAColonOrValueIsKeptEmptyAndUnknownFieldsAreIgnored() {
    feed("data\nretry: 10\nfoo: bar\nevent\n\n", "data:x\nid\n\n");
    assertThat(data()).containsExactly("", "x");
    assertThat(events.get(0).event()).isEqualTo(SseEvent.DEFAULT_EVENT);
  }
}
