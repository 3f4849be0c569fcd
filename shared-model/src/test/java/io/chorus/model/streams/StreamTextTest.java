package io.chorus.model.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamTextTest {

  @Test
  void appendedChunksReadAsOneTextAcrossJoinsAndEarlierTextsStayAsTheyWere() {
    StreamText text = new StreamText(-1, "", 7);
    StringBuilder expected = new StringBuilder();
    List<StreamText> seen = new ArrayList<>();
    List<String> seenTexts = new ArrayList<>();
    int chunks = StreamText.CHUNKS_BEFORE_JOIN * 3 + 5; // three joins and a tail
    for (int i = 0; i < chunks; i++) {
      String delta = "t" + i + (i % 7 == 0 ? "é " : " ");
      text = text.append(i, delta, 7);
      expected.append(delta);
      assertThat(text.text()).isEqualTo(expected.toString());
      seen.add(text);
      seenTexts.add(expected.toString());
    }
    assertThat(text.index()).isEqualTo(chunks - 1);
    assertThat(text.promptChars()).isEqualTo(7);
    // A reader holding an earlier text (a snapshot, the map's old value) keeps what it read.
    for (int i = 0; i < seen.size(); i++) {
      assertThat(seen.get(i).text()).isEqualTo(seenTexts.get(i));
      assertThat(seen.get(i).index()).isEqualTo(i);
    }
  }

  @Test
  void aChunkAppendedToAJoinedTextOrAnEmptyOneStartsItsOwnTail() {
    StreamText whole = new StreamText(4, "Vert.x", 0);
    assertThat(whole.append(5, " is", 0).text()).isEqualTo("Vert.x is");
    assertThat(whole.append(5, "", 0).text()).isEqualTo("Vert.x");
    assertThat(new StreamText().append(0, "a", 3).text()).isEqualTo("a");
  }
}
