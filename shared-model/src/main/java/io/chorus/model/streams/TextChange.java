package io.chorus.model.streams;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import java.io.IOException;
import java.util.Map;

/**
 * One chunk recorded in a stream's {@link StreamText} where it lives: its delta appended (or, for a whole
 * text, the text replaced), the index and prompt size set. On Hazelcast it runs as an entry processor on
 * the key's partition (and again on its backup), so a chunk costs the bytes of its delta, not of the text
 * so far; the no-argument constructor and {@code readData} are Hazelcast's.
 *
 * <p>The outcome: {@link #APPLIED}; {@link #ABSENT}, changing nothing, when the stream has no text any more
 * (it was claimed, so its owner must stop); or {@link #GAP}, changing nothing, when the delta does not follow
 * the text's last chunk (an earlier one was not recorded): the caller then sends the whole text. A delta
 * whose chunk is already recorded (a retried call) is not appended twice.
 */
public final class TextChange implements EntryProcessor<String, StreamText, Integer>, DataSerializable {
  static final int APPLIED = 0;
  static final int ABSENT = 1;
  static final int GAP = 2;

  private long index;
  private String text;
  private boolean whole;
  private int promptChars;

  /** For Hazelcast's deserialisation only. */
  public TextChange() {}

  private TextChange(long index, String text, boolean whole, int promptChars) {
    this.index = index;
    this.text = text;
    this.whole = whole;
    this.promptChars = promptChars;
  }

  static TextChange append(long index, String delta, int promptChars) {
    return new TextChange(index, delta, false, promptChars);
  }

  static TextChange whole(long index, String text, int promptChars) {
    return new TextChange(index, text, true, promptChars);
  }

  /** What this change does to {@code current}: one of {@link #APPLIED}, {@link #ABSENT}, {@link #GAP}. */
  int outcome(StreamText current) {
    if (current == null) {
      return ABSENT;
    }
    if (whole || current.index() >= index || current.index() == index - 1) {
      return APPLIED;
    }
    return GAP;
  }

  /** The text after this change, for an {@link #APPLIED} outcome. */
  StreamText applyTo(StreamText current) {
    if (whole) {
      return new StreamText(index, text, promptChars);
    }
    if (current.index() >= index) {
      return current; // recorded already: a retried call
    }
    return current.append(index, text, promptChars);
  }

  @Override
  public Integer process(Map.Entry<String, StreamText> entry) {
    StreamText current = entry.getValue();
    int outcome = outcome(current);
    if (outcome == APPLIED) {
      StreamText next = applyTo(current);
      if (next != current) {
        entry.setValue(next);
      }
    }
    return outcome;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeLong(index);
    out.writeString(text);
    out.writeBoolean(whole);
    out.writeInt(promptChars);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    index = in.readLong();
    text = in.readString();
    whole = in.readBoolean();
    promptChars = in.readInt();
  }
}
