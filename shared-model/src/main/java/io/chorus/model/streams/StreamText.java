package io.chorus.model.streams;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import io.vertx.core.shareddata.Shareable;
import java.io.IOException;

/**
 * The part of a stream's cluster record that changes with every chunk: the text that reached the room up to
 * chunk {@code index} (-1 before the first), and the prompt's size for estimating usage. Kept apart from the
 * stream's other facts (owner, conversation, question: {@link StreamState}'s JSON, written once) so a chunk
 * changes it in place with a {@link TextChange} sent to where it lives, instead of the whole state going
 * back and forth. Immutable once built; the no-argument constructor and {@code readData} are Hazelcast's.
 *
 * <p>The text is kept as a joined head and the chunks appended since, newest first, shared with the text
 * before them: appending a chunk copies nothing but the chunk, and the head is joined again only every
 * {@link #CHUNKS_BEFORE_JOIN} chunks. A chunk whose append copied the whole text so far made an answer of n
 * chunks cost n²/2 characters of garbage where it lives (measured: most of what the map's partition threads
 * allocated under 6,000 tokens/s, docs/benchmarks.md). The text itself is joined only when read (a resume
 * snapshot, a claim, a copy to another member), which is rare next to appends.
 */
public final class StreamText implements DataSerializable, Shareable {
  /** Chunks kept apart before they are joined into the head: the copying is then 1/32 of a text per chunk. */
  static final int CHUNKS_BEFORE_JOIN = 32;

  private long index;
  private String head;
  private Chunks tail;
  private int promptChars;

  /** Chunks appended after the head, newest first; each shares the ones before it. */
  private record Chunks(String chunk, Chunks before, int count, int chars) {}

  /** For Hazelcast's deserialisation only. */
  public StreamText() {
    this(-1, "", 0);
  }

  StreamText(long index, String text, int promptChars) {
    this(index, text, null, promptChars);
  }

  private StreamText(long index, String head, Chunks tail, int promptChars) {
    this.index = index;
    this.head = head;
    this.tail = tail;
    this.promptChars = promptChars;
  }

  long index() {
    return index;
  }

  String text() {
    if (tail == null) {
      return head;
    }
    String[] chunks = new String[tail.count()];
    int i = chunks.length;
    for (Chunks c = tail; c != null; c = c.before()) {
      chunks[--i] = c.chunk();
    }
    // A StringBuilder keeps Latin-1 text in one byte a character, where a char[] would take two and a copy.
    StringBuilder text = new StringBuilder(head.length() + tail.chars()).append(head);
    for (String chunk : chunks) {
      text.append(chunk);
    }
    return text.toString();
  }

  int promptChars() {
    return promptChars;
  }

  /** This text with {@code delta} after it, as of chunk {@code index}. */
  StreamText append(long index, String delta, int promptChars) {
    int count = tail == null ? 1 : tail.count() + 1;
    if (count > CHUNKS_BEFORE_JOIN) {
      return new StreamText(index, text().concat(delta), null, promptChars);
    }
    int chars = (tail == null ? 0 : tail.chars()) + delta.length();
    return new StreamText(index, head, new Chunks(delta, tail, count, chars), promptChars);
  }

  /** {@code state}'s facts with this text. */
  StreamState onto(StreamState state) {
    return state.withProgress(index, text()).withPromptChars(promptChars);
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeLong(index);
    out.writeString(text());
    out.writeInt(promptChars);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    index = in.readLong();
    head = in.readString();
    tail = null;
    promptChars = in.readInt();
  }
}
